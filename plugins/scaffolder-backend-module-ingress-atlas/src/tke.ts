import type { LoggerService } from '@backstage/backend-plugin-api';
import { TKE, TKE_VPC_CNI } from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ConnectedCluster } from './clusters';
import { KubeObject, listObjects, readObject, sleep } from './kube';
import { TencentCloud, describeTencentError } from './tencent';

/** Address states in which an EIP is attached and routes traffic. */
const BOUND_STATES = ['BIND', 'BIND_ENI'];

export interface VpcCniState {
  enabled: boolean;
  /** What the answer is based on, for the log. */
  evidence: string;
}

/**
 * Whether pods can get ENI IPs (and so EIPs): ipamd runs in kube-system, or the TKE API says
 * IPAMD is on for the cluster.
 */
export async function vpcCniState(
  cluster: ConnectedCluster,
  cloud: TencentCloud | undefined,
): Promise<VpcCniState> {
  const ipamd = await readObject(cluster, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'kube-system',
    name: TKE_VPC_CNI.ipamd,
  });
  if (ipamd) {
    return {
      enabled: true,
      evidence: `Deployment kube-system/${TKE_VPC_CNI.ipamd} runs`,
    };
  }
  if (!cloud || !cluster.region || !cluster.cloudClusterId) {
    return {
      enabled: false,
      evidence: `no Deployment kube-system/${TKE_VPC_CNI.ipamd}, and no Tencent account or cloudClusterId to ask DescribeIPAMD`,
    };
  }
  try {
    const answer = await cloud
      .tke(cluster.region)
      .DescribeIPAMD({ ClusterId: cluster.cloudClusterId });
    const enabled = Boolean(answer.EnableIPAMD) && !answer.DisableVpcCniMode;
    return {
      enabled,
      evidence: `no Deployment kube-system/tke-eni-ipamd; DescribeIPAMD(${cluster.cloudClusterId}) says EnableIPAMD=${answer.EnableIPAMD}, DisableVpcCniMode=${answer.DisableVpcCniMode}`,
    };
  } catch (error) {
    return {
      enabled: false,
      evidence: `no Deployment kube-system/tke-eni-ipamd, and DescribeIPAMD failed: ${describeTencentError(
        error,
      )}`,
    };
  }
}

export interface EipQuota {
  /** EIPs that can still be allocated, when the quota could be read. */
  available?: number;
  evidence: string;
}

export async function eipQuota(
  cloud: TencentCloud,
  region: string,
): Promise<EipQuota> {
  try {
    const { QuotaSet = [] } = await cloud.vpc(region).DescribeAddressQuota();
    const total = QuotaSet.find(q => q.QuotaId === 'TOTAL_EIP_QUOTA');
    if (total?.QuotaLimit === undefined) {
      return { evidence: 'DescribeAddressQuota returned no TOTAL_EIP_QUOTA' };
    }
    const available = total.QuotaLimit - (total.QuotaCurrent ?? 0);
    return {
      available,
      evidence: `${total.QuotaCurrent ?? 0} of ${
        total.QuotaLimit
      } EIPs in use in ${region}`,
    };
  } catch (error) {
    return {
      evidence: `DescribeAddressQuota failed: ${describeTencentError(error)}`,
    };
  }
}

export interface PodEip {
  pod: string;
  ready: boolean;
  /** The public IP ipamd wrote on the pod. */
  ip?: string;
}

/** The pods of a StatefulSet (by ordinal name, within its replicas) and the EIPs ipamd gave them. */
export async function podEips(
  cluster: ConnectedCluster,
  statefulSet: KubeObject,
): Promise<PodEip[]> {
  const { name, namespace } = statefulSet.metadata!;
  const pattern = new RegExp(`^${name!.replace(/[.]/g, '\\.')}-\\d+$`);
  const pods = await listObjects(cluster, {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace,
  });
  const replicas = statefulSet.spec?.replicas ?? 1;
  return pods
    .filter(
      pod =>
        pattern.test(pod.metadata?.name ?? '') &&
        // A pod being scaled away or deleted keeps its EIP only for a while: not an address.
        Number(pod.metadata!.name!.slice(name!.length + 1)) < replicas &&
        !pod.metadata?.deletionTimestamp,
    )
    .map(pod => ({
      pod: pod.metadata!.name!,
      ready: (pod.status?.conditions ?? []).some(
        (c: { type: string; status: string }) =>
          c.type === 'Ready' && c.status === 'True',
      ),
      ip: pod.metadata?.annotations?.[TKE.eipPublicIp] || undefined,
    }))
    .sort((a, b) => a.pod.localeCompare(b.pod, 'en', { numeric: true }));
}

/** Whether every replica of the StatefulSet runs, is ready and has its EIP. */
export function allBound(statefulSet: KubeObject, eips: PodEip[]): boolean {
  const replicas = statefulSet.spec?.replicas ?? 1;
  return (
    replicas > 0 && eips.length >= replicas && eips.every(e => e.ready && e.ip)
  );
}

/**
 * Waits until every replica of the StatefulSet is ready with its EIP. On timeout the error
 * names the pods still waiting and any FailedAllocateEIP events.
 */
export async function waitForPodEips(
  cluster: ConnectedCluster,
  statefulSet: KubeObject,
  options: {
    timeoutSeconds: number;
    intervalMs?: number;
    logger: LoggerService;
    signal?: AbortSignal;
  },
): Promise<PodEip[]> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const { name, namespace } = statefulSet.metadata!;
  let last: PodEip[] = [];
  let reported = '';
  for (;;) {
    last = await podEips(cluster, statefulSet);
    if (allBound(statefulSet, last)) {
      return last;
    }
    const progress = last
      .map(
        e =>
          `${e.pod}: ${e.ready ? 'ready' : 'not ready'}, ${
            e.ip ?? 'no EIP yet'
          }`,
      )
      .join('; ');
    if (progress !== reported) {
      options.logger.info(
        `Waiting for pod EIPs of StatefulSet ${namespace}/${name}`,
        {
          pods: progress || 'no pods yet',
        },
      );
      reported = progress;
    }
    if (Date.now() >= deadline) {
      break;
    }
    await sleep(options.intervalMs ?? 1000, options.signal);
  }
  const events = await eipEvents(
    cluster,
    namespace!,
    last.map(e => e.pod),
  );
  const pods =
    last
      .map(
        e =>
          `${e.pod}: ${e.ready ? 'ready' : 'not ready'}, ${e.ip ?? 'no EIP'}`,
      )
      .join('; ') || 'no pods';
  const eventText = events.length ? `; events: ${events.join('; ')}` : '';
  throw new Error(
    `Timed out after ${options.timeoutSeconds}s waiting for pod EIPs of StatefulSet ${namespace}/${name} (${pods})${eventText}. The Deployment was left serving traffic.`,
  );
}

async function eipEvents(
  cluster: ConnectedCluster,
  namespace: string,
  pods: string[],
): Promise<string[]> {
  try {
    const events = await listObjects(cluster, {
      apiVersion: 'v1',
      kind: 'Event',
      namespace,
    });
    return events
      .filter(
        e =>
          pods.includes(e.involvedObject?.name) &&
          /EIP|ENI/i.test(`${e.reason} ${e.message}`),
      )
      .map(e => `${e.involvedObject.name} ${e.reason}: ${e.message}`);
  } catch {
    return [];
  }
}

export interface AddressState {
  ip: string;
  addressId?: string;
  status?: string;
  bound: boolean;
}

/** DescribeAddresses for the given public IPs: id and whether each is bound. */
export async function describeAddresses(
  cloud: TencentCloud,
  region: string,
  ips: string[],
): Promise<AddressState[]> {
  if (ips.length === 0) {
    return [];
  }
  const { AddressSet = [] } = await cloud.vpc(region).DescribeAddresses({
    Filters: [{ Name: 'address-ip', Values: ips }],
    Limit: 100,
  });
  return ips.map(ip => {
    const address = AddressSet.find(a => a.AddressIp === ip);
    return {
      ip,
      addressId: address?.AddressId,
      status: address?.AddressStatus,
      bound: BOUND_STATES.includes(address?.AddressStatus ?? ''),
    };
  });
}

/** Whether two TKE clusters' VPCs reach each other privately, and how the cloud says so. */
export interface VpcPath {
  /** Undefined when the cloud could not tell (no account, no cluster id, an API refused). */
  connected?: boolean;
  evidence: string;
}

async function clusterVpc(
  cloud: TencentCloud,
  cluster: ConnectedCluster,
): Promise<string | undefined> {
  const { Clusters = [] } = await cloud
    .tke(cluster.region!)
    .DescribeClusters({ ClusterIds: [cluster.cloudClusterId!] });
  return Clusters[0]?.ClusterNetworkSettings?.VpcId;
}

/**
 * The private path between the VPCs of two TKE clusters: the same VPC, an active peering
 * connection between them, or one Cloud Connect Network both are attached to. A VPN or Direct
 * Connect route is not visible here: "not connected" means none of these three.
 */
export async function vpcPath(
  cloud: TencentCloud,
  a: ConnectedCluster,
  b: ConnectedCluster,
): Promise<VpcPath> {
  if (!a.region || !a.cloudClusterId || !b.region || !b.cloudClusterId) {
    return {
      evidence:
        'a cluster has no region or cloudClusterId in ingressAtlas.clusters',
    };
  }
  try {
    const [vpcA, vpcB] = await Promise.all([
      clusterVpc(cloud, a),
      clusterVpc(cloud, b),
    ]);
    if (!vpcA || !vpcB) {
      return { evidence: 'DescribeClusters gave no VPC for a cluster' };
    }
    const between = `${a.name} (${vpcA}) and ${b.name} (${vpcB})`;
    if (vpcA === vpcB) {
      return {
        connected: true,
        evidence: `${a.name} and ${b.name} share VPC ${vpcA}`,
      };
    }
    const { PeerConnectionSet = [] } = await cloud
      .vpc(a.region)
      .DescribeVpcPeeringConnections({
        Filters: [{ Name: 'vpc-id', Values: [vpcA] }],
        Limit: 100,
      });
    const peering = PeerConnectionSet.find(
      p =>
        p.State === 'ACTIVE' &&
        [p.SourceVpcId, p.PeerVpcId].sort().join() ===
          [vpcA, vpcB].sort().join(),
    );
    if (peering) {
      return {
        connected: true,
        evidence: `peering connection ${peering.PeeringConnectionId} joins ${between}`,
      };
    }
    const { InstanceSet = [] } = await cloud
      .vpc(a.region)
      .DescribeCcnAttachedInstances({
        Filters: [
          { Name: 'instance-type', Values: ['VPC'] },
          { Name: 'instance-id', Values: [vpcA, vpcB] },
        ],
        Limit: 100,
      });
    const active = InstanceSet.filter(i => i.State === 'ACTIVE');
    const ccn = active.find(
      i =>
        i.InstanceId === vpcA &&
        active.some(j => j.InstanceId === vpcB && j.CcnId === i.CcnId),
    )?.CcnId;
    if (ccn) {
      return { connected: true, evidence: `CCN ${ccn} joins ${between}` };
    }
    return {
      connected: false,
      evidence: `no active peering connection or CCN joins ${between}`,
    };
  } catch (error) {
    return { evidence: describeTencentError(error) };
  }
}
