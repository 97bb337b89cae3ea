import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  TKE,
  istioctlInstall,
  istioctlInstallFile,
  nodeObject,
} from '@ingress-atlas/sandbox';
import type {
  ClusterSpec,
  KubeObject,
  SandboxCloud,
} from '@ingress-atlas/sandbox';
import {
  CRDS,
  KubeClient,
  RealCluster,
  Refused,
  describe,
  eventually,
} from './realCluster';

export const FIELD_MANAGER = 'ingress-atlas-test';

/** An object the real server refused, with its answer. */
export interface Rejection {
  object: string;
  step: 'apply' | 'status';
  status: number;
  message: string;
}

export function refOf(object: {
  kind?: string;
  metadata: { namespace?: string; name?: string };
}): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The CRDs one estate's manifests need, as start.sh --crds arguments. */
export function crdsFor(spec: ClusterSpec, objects: KubeObject[]): string[] {
  const groups = new Set(objects.map(o => (o.apiVersion ?? '').split('/')[0]));
  const crds: string[] = [];
  if ([...groups].some(g => g.endsWith('istio.io'))) {
    crds.push(path.join(CRDS, 'istio'));
  }
  if (groups.has('gateway.networking.k8s.io')) {
    crds.push(path.join(CRDS, 'gateway-api'));
  }
  // TKE serves EIPClaims on VPC-CNI clusters, whether or not a pod holds an EIP yet.
  if (spec.provider === 'tencent' && spec.vpcCni) {
    crds.push(path.join(CRDS, 'tke'));
  }
  return crds;
}

/**
 * Starts a real control plane for one estate: its service CIDR (the manifests pin cluster IPs)
 * and the CRDs its manifests use.
 */
export function startEstateCluster(
  spec: ClusterSpec,
  objects: KubeObject[],
): Promise<RealCluster> {
  return RealCluster.start({
    name: spec.name,
    serviceCidr: spec.serviceCidr,
    crds: crdsFor(spec, objects),
  });
}

/** What a kubelet does when it registers: the Node, then its status (the sandbox's own node). */
export async function registerNodes(
  client: KubeClient,
  spec: ClusterSpec,
): Promise<Rejection[]> {
  const rejections: Rejection[] = [];
  for (const node of spec.nodes) {
    const { status, ...object } = nodeObject(spec, node);
    await record(
      rejections,
      object,
      'apply',
      client.apply(object, FIELD_MANAGER),
    );
    await record(
      rejections,
      object,
      'status',
      client.applyStatus({ ...object, status }, FIELD_MANAGER),
    );
  }
  return rejections;
}

/**
 * Applies an estate's manifests in file order, each with server-side apply and its status (if
 * the manifest has one) through the status subresource, as controllers write it.
 */
export async function applyManifests(
  client: KubeClient,
  objects: KubeObject[],
): Promise<Rejection[]> {
  const rejections: Rejection[] = [];
  for (const object of objects) {
    const applied = await record(
      rejections,
      object,
      'apply',
      client.apply(object, FIELD_MANAGER),
    );
    if (applied && object.kind === 'CustomResourceDefinition') {
      // As `kubectl wait --for condition=established`: its kind is served from then on.
      await established(client, object.metadata.name);
    }
    if (applied && object.status && Object.keys(object.status).length) {
      await record(
        rejections,
        object,
        'status',
        client.applyStatus(object, FIELD_MANAGER),
      );
    }
  }
  return rejections;
}

/**
 * Waits (up to 30 s) until the server serves the kind a CustomResourceDefinition defines: the
 * definition is Established, and discovery lists the group's served versions (it follows the
 * condition shortly after, and an apply resolves the kind through it).
 */
async function established(client: KubeClient, name: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const crd = await client.get(
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
    );
    const conditions: Array<{ type: string; status: string }> =
      crd.status?.conditions ?? [];
    if (
      conditions.some(c => c.type === 'Established' && c.status === 'True') &&
      (await discovered(client, crd))
    ) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(
    `CustomResourceDefinition ${name} was not established within 30 s`,
  );
}

/** Whether discovery lists the kind in every version the definition serves. */
async function discovered(client: KubeClient, crd: any): Promise<boolean> {
  const versions: Array<{ name: string; served?: boolean }> =
    crd.spec?.versions ?? [];
  for (const version of versions.filter(v => v.served !== false)) {
    try {
      const list = await client.get(`/apis/${crd.spec.group}/${version.name}`);
      const kinds: Array<{ kind: string }> = list?.resources ?? [];
      if (!kinds.some(r => r.kind === crd.spec.names?.kind)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function record(
  rejections: Rejection[],
  object: any,
  step: Rejection['step'],
  answer: Promise<{ status: number; body: any }>,
): Promise<boolean> {
  let status: number;
  let body: any;
  try {
    ({ status, body } = await answer);
  } catch (error) {
    rejections.push({
      object: refOf(object),
      step,
      status: 0,
      message: String(error),
    });
    return false;
  }
  if (status >= 200 && status < 300) return true;
  rejections.push({
    object: refOf(object),
    step,
    status,
    message: describe(body),
  });
  return false;
}

/** The workload a pod belongs to, as `namespace/name` (Deployment, StatefulSet or DaemonSet). */
export function workloadOf(pod: any): string | undefined {
  const owner = pod.metadata.ownerReferences?.find((o: any) => o.controller);
  if (!owner) return undefined;
  let name: string = owner.name;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && name.endsWith(`-${hash}`)) {
    name = name.slice(0, -hash.length - 1);
  }
  return `${pod.metadata.namespace}/${name}`;
}

/**
 * How many pods each of an estate's workloads should have, by `namespace/name`: replicas, or
 * for a DaemonSet the nodes it fits (what the DaemonSet controller reports).
 */
export async function expectedPods(
  client: KubeClient,
  objects: KubeObject[],
): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  for (const object of objects) {
    const key = `${object.metadata.namespace ?? 'default'}/${
      object.metadata.name
    }`;
    if (object.kind === 'Deployment' || object.kind === 'StatefulSet') {
      expected.set(key, object.spec?.replicas ?? 1);
    } else if (object.kind === 'DaemonSet') {
      const status = await eventually(
        `the DaemonSet ${key} to be counted`,
        async () => {
          const ds = await client.get(await client.pathOf(object));
          return ds.status?.observedGeneration ? ds.status : undefined;
        },
      );
      expected.set(key, status.desiredNumberScheduled);
    }
  }
  return expected;
}

/** Addresses for pods, as the kubelets and the CNI hand them out. */
class PodAddresses {
  readonly #nodes: Map<string, ClusterSpec['nodes'][number]>;
  readonly #pool: () => string;
  // A pod keeps the address it was given while its status is written.
  readonly #given = new Map<string, string>();

  constructor(private readonly spec: ClusterSpec) {
    this.#nodes = new Map(spec.nodes.map(n => [n.name, n]));
    this.#pool = addressPool(
      spec.podCidr,
      new Set<string>(Object.values(spec.podIps ?? {}).flat()),
    );
  }

  /**
   * Reports each bound pod that is not running yet as running and ready, through the status
   * subresource: pinned addresses from estates.yaml first, then the next free one of the pod
   * CIDR; the node's for host-network pods.
   */
  async start(client: KubeClient, pods: any[]): Promise<void> {
    const taken = new Set(
      pods.filter(p => p.status?.podIP).map(p => p.status.podIP),
    );
    for (const pod of pods) {
      if (!pod.spec.nodeName || pod.metadata.deletionTimestamp) continue;
      if (['Running', 'Succeeded', 'Failed'].includes(pod.status?.phase)) {
        continue;
      }
      const node = this.#nodes.get(pod.spec.nodeName)!;
      const pinned = this.spec.podIps?.[workloadOf(pod) ?? ''] ?? [];
      const podIp = pod.spec.hostNetwork
        ? node.internalIp
        : this.#given.get(pod.metadata.uid) ??
          pinned.find(ip => !taken.has(ip)) ??
          this.#pool();
      this.#given.set(pod.metadata.uid, podIp);
      taken.add(podIp);
      const at = new Date().toISOString();
      const condition = (type: string) => ({
        type,
        status: 'True',
        lastTransitionTime: at,
      });
      // An installer pod runs to completion; every other pod keeps running.
      const exit = await runIstioctl(client, pod);
      const answer = await client.applyStatus(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: pod.metadata,
          status: {
            phase:
              exit === undefined
                ? 'Running'
                : exit.code === 0
                ? 'Succeeded'
                : 'Failed',
            conditions: [
              'PodReadyToStartContainers',
              'Initialized',
              'PodScheduled',
              ...(exit === undefined ? ['Ready', 'ContainersReady'] : []),
            ].map(condition),
            hostIP: node.internalIp,
            hostIPs: [{ ip: node.internalIp }],
            podIP: podIp,
            podIPs: [{ ip: podIp }],
            startTime: at,
            containerStatuses: pod.spec.containers.map((c: any) => ({
              name: c.name,
              image: c.image,
              imageID: '',
              ready: exit === undefined,
              started: exit === undefined,
              restartCount: 0,
              state:
                exit === undefined
                  ? { running: { startedAt: at } }
                  : {
                      terminated: {
                        exitCode: exit.code,
                        reason: exit.code === 0 ? 'Completed' : 'Error',
                        message: exit.message,
                        startedAt: at,
                        finishedAt: at,
                      },
                    },
            })),
          },
        },
        FIELD_MANAGER,
      );
      // A pod deleted meanwhile is gone: nothing to report.
      if (answer.status !== 200 && answer.status !== 404) {
        throw new Refused(
          `pod ${pod.metadata.namespace}/${pod.metadata.name} status: HTTP ${
            answer.status
          } ${describe(answer.body)}`,
        );
      }
    }
  }
}

/**
 * The kubelets of an estate while actions run: bound pods start, and a terminating pod is gone
 * at once (a kubelet confirms the deletion once its containers stopped). Stop it with the
 * returned function.
 */
export function runKubelets(
  client: KubeClient,
  spec: ClusterSpec,
): () => Promise<void> {
  const addresses = new PodAddresses(spec);
  let running = true;
  const loop = (async () => {
    while (running) {
      const pods = await client.list('v1', 'Pod');
      for (const pod of pods.filter(p => p.metadata.deletionTimestamp)) {
        await client.request(
          'DELETE',
          `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}?gracePeriodSeconds=0`,
        );
      }
      await addresses.start(client, pods);
      await new Promise(resolve => setTimeout(resolve, 300));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/**
 * Plays the kubelets' part for the pods the scheduler bound (see PodAddresses.start). Returns
 * the pods by workload once every workload has as many bound, running pods as expected.
 */
export async function runPods(
  client: KubeClient,
  spec: ClusterSpec,
  expected: Map<string, number>,
  timeoutMs = 60_000,
): Promise<Map<string, any[]>> {
  const addresses = new PodAddresses(spec);
  return eventually(
    'every workload to have its pods bound and running',
    async () => {
      const pods = await client.list('v1', 'Pod');
      await addresses.start(client, pods);
      const byWorkload = new Map<string, any[]>();
      for (const pod of pods) {
        const workload = workloadOf(pod);
        if (!workload) continue;
        byWorkload.set(workload, [...(byWorkload.get(workload) ?? []), pod]);
      }
      const missing = [...expected].filter(
        ([workload, count]) =>
          (byWorkload.get(workload) ?? []).filter(
            p => p.spec.nodeName && p.status?.phase === 'Running',
          ).length !== count,
      );
      if (missing.length) {
        // The scheduler says why a pod has no node (taints, selectors, resources).
        const unscheduled = pods
          .filter(p => !p.spec.nodeName)
          .map(p => {
            const scheduled = p.status?.conditions?.find(
              (c: any) => c.type === 'PodScheduled',
            );
            return `${p.metadata.namespace}/${p.metadata.name}: ${
              scheduled?.message ?? 'not scheduled yet'
            }`;
          });
        // A controller says why it could not create a pod (e.g. a missing ServiceAccount).
        const failedCreate = (await client.list('v1', 'Event'))
          .filter(e => e.reason === 'FailedCreate')
          .map(
            e =>
              `${e.involvedObject.namespace}/${e.involvedObject.name}: ${e.message}`,
          );
        throw new Error(
          `not yet running: ${missing
            .map(
              ([w, n]) =>
                `${w} (${(byWorkload.get(w) ?? []).length}/${n} pods)`,
            )
            .join(', ')}${
            unscheduled.length ? `; unscheduled: ${unscheduled.join('; ')}` : ''
          }${
            failedCreate.length
              ? `; not created: ${[...new Set(failedCreate)].join('; ')}`
              : ''
          }`,
        );
      }
      return byWorkload;
    },
    timeoutMs,
  );
}

/** Istio's CRDs, as the base chart istioctl installs them. */
const ISTIO_CRDS: KubeObject[] = [
  'crd-all.gen.yaml',
  'crd-operator.yaml',
].flatMap(file =>
  parseAllDocuments(fs.readFileSync(path.join(CRDS, 'istio', file), 'utf8'))
    .map(document => document.toJS())
    .filter(Boolean),
);

/**
 * Plays the container of a pod that runs `istioctl install -f <file>` (the installer Job of
 * mesh:install-istiod): reads the IstioOperator from the ConfigMap the pod mounts and applies
 * what istioctl installs for it, as the sandbox's controller does for its own clusters. Returns
 * the container's exit, or undefined for a pod that runs no installer.
 */
async function runIstioctl(
  client: KubeClient,
  pod: any,
): Promise<{ code: number; message?: string } | undefined> {
  const mounted = istioctlInstallFile(pod.spec);
  if (!mounted) {
    return undefined;
  }
  try {
    const configMap = mounted.configMap
      ? await client.request(
          'GET',
          `/api/v1/namespaces/${pod.metadata.namespace}/configmaps/${mounted.configMap}`,
        )
      : undefined;
    const text =
      configMap?.status === 200
        ? configMap.body.data?.[mounted.key]
        : undefined;
    const objects = istioctlInstall(text, mounted.file);
    // istioctl installs Istio's CRDs first (its base chart); a new cluster has none.
    for (const object of [...ISTIO_CRDS, ...objects]) {
      // A CRD just created is served a moment later.
      const answer = await eventually(`${refOf(object)} served`, () =>
        client.apply(object, 'istioctl').catch(() => undefined),
      );
      if (answer.status >= 300) {
        throw new Error(
          `${refOf(object)}: HTTP ${answer.status} ${describe(answer.body)}`,
        );
      }
    }
    return { code: 0 };
  } catch (error) {
    return { code: 1, message: (error as Error).message };
  }
}

/** Free addresses of a CIDR from the bottom, skipping the network address and the gateway. */
function addressPool(cidr: string, used: Set<string>): () => string {
  const [base, bits] = cidr.split('/');
  const start = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  let cursor = 2;
  return () => {
    for (; cursor < size - 1; cursor++) {
      const n = start + cursor;
      const address = [24, 16, 8, 0].map(s => (n >>> s) & 255).join('.');
      if (!used.has(address)) {
        used.add(address);
        cursor++;
        return address;
      }
    }
    throw new Error(`${cidr} has no free address left`);
  };
}

/**
 * Waits until the endpoints controller has caught up: every Service with a selector has
 * Endpoints holding exactly the addresses of the running pods it selects.
 */
export async function endpointsSettled(client: KubeClient): Promise<void> {
  await eventually(
    'every Service to have the endpoints of its pods',
    async () => {
      const [services, pods, endpoints] = await Promise.all([
        client.list('v1', 'Service'),
        client.list('v1', 'Pod'),
        client.list('v1', 'Endpoints'),
      ]);
      const behind = services
        .filter(s => s.spec.selector && Object.keys(s.spec.selector).length)
        .filter(service => {
          const { namespace, name } = service.metadata;
          const expected = pods
            .filter(
              p =>
                p.metadata.namespace === namespace &&
                p.status?.phase === 'Running' &&
                Object.entries(service.spec.selector).every(
                  ([k, v]) => p.metadata.labels?.[k] === v,
                ),
            )
            .map(p => p.status.podIP)
            .sort();
          const found = endpoints.find(
            e => e.metadata.namespace === namespace && e.metadata.name === name,
          );
          const actual = [
            ...new Set<string>(
              (found?.subsets ?? []).flatMap((s: any) =>
                (s.addresses ?? []).map((a: any) => a.ip),
              ),
            ),
          ].sort();
          return !found || JSON.stringify(actual) !== JSON.stringify(expected);
        })
        .map(s => `${s.metadata.namespace}/${s.metadata.name}`);
      if (behind.length) throw new Error(`not yet: ${behind.join(', ')}`);
      return true;
    },
  );
}

/**
 * What the cloud controller does outside Tencent (as the sandbox's controller does it): a
 * LoadBalancer Service without an address gets the one estates.yaml gives it.
 */
export async function assignLoadBalancers(
  client: KubeClient,
  spec: ClusterSpec,
): Promise<Rejection[]> {
  const rejections: Rejection[] = [];
  if (spec.provider === 'tencent') return rejections;
  for (const service of await client.list('v1', 'Service')) {
    const { namespace, name } = service.metadata;
    const ip = spec.loadBalancers?.[`${namespace}/${name}`];
    if (
      service.spec.type !== 'LoadBalancer' ||
      !ip ||
      service.status?.loadBalancer?.ingress?.length
    ) {
      continue;
    }
    const object = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace, name },
      status: { loadBalancer: { ingress: [{ ip }] } },
    };
    await record(
      rejections,
      object,
      'status',
      client.applyStatus(object, FIELD_MANAGER),
    );
  }
  return rejections;
}

/**
 * Plays TKE's part for a real server and the cloud stand-in, as the sandbox's controller does
 * for its own clusters: tke-eni-ipamd binds an EIP to each running pod that asks for one (the
 * pod's `eip-public-ip` annotation and its EIPClaim say which), and the service controller tags
 * the CLB a Service names with that Service's uid (the server assigns it) and releases the CLB
 * once the Service is deleted or no longer a LoadBalancer. Stop it with the returned function.
 */
export function runTke(
  client: KubeClient,
  cloud: SandboxCloud,
  spec: ClusterSpec,
): () => Promise<void> {
  const where = {
    region: spec.region!,
    clusterId: spec.cloudClusterId ?? spec.name,
  };
  const loadBalancers = new Map<string, string>();
  let running = true;
  const bindEips = async () => {
    for (const pod of await client.list('v1', 'Pod')) {
      const annotations = pod.metadata.annotations ?? {};
      const podIp = pod.status?.podIP;
      if (
        !annotations[TKE.eipAttributes] ||
        annotations[TKE.eipPublicIp] ||
        !podIp ||
        pod.status?.phase !== 'Running' ||
        pod.metadata.deletionTimestamp ||
        pod.spec?.hostNetwork
      ) {
        continue;
      }
      const { namespace, name } = pod.metadata;
      const claimPath = `/apis/networking.tke.cloud.tencent.com/v1/namespaces/${namespace}/eipclaims/${name}`;
      const found = await client.request('GET', claimPath);
      const claim = found.status === 200 ? found.body : undefined;
      const attributes = JSON.parse(annotations[TKE.eipAttributes]);
      const bandwidth = Number(
        attributes.Bandwidth ?? attributes.InternetMaxBandwidthOut,
      );
      // The ENI the cloud records for the pod's IP, else one named after the IP.
      const eniId =
        cloud.eniOf({ ...where, privateIp: podIp }) ??
        `eni-${podIp.replace(/\./g, 'x')}`;
      const { addressId, ip } = cloud.bindPodEip({
        ...where,
        podIp,
        eniId,
        reuseAddressId:
          claim?.status?.addressId ??
          annotations[TKE.eipIdList]?.split(',')[0]?.trim(),
        bandwidthMbps: Number.isFinite(bandwidth) ? bandwidth : undefined,
        internetChargeType: attributes.InternetChargeType,
      });
      await client.request(
        'PATCH',
        `/api/v1/namespaces/${namespace}/pods/${name}?fieldManager=tke-eni-ipamd`,
        { metadata: { annotations: { [TKE.eipPublicIp]: ip } } },
        'application/merge-patch+json',
      );
      const claimObject = {
        apiVersion: 'networking.tke.cloud.tencent.com/v1',
        kind: 'EIPClaim',
        metadata: {
          name,
          namespace,
          labels: { 'tke.cloud.tencent.com/pod-name': name },
        },
        spec: {
          ...attributes,
          deletePolicy: annotations[TKE.eipClaimDeletePolicy] ?? 'Delete',
        },
        status: { phase: 'Bound', addressId, ip, podIp, eniId },
      };
      await client.apply(claimObject, 'tke-eni-ipamd');
      await client.applyStatus(claimObject, 'tke-eni-ipamd');
    }
  };
  const followServices = async () => {
    const current = new Map<string, string>();
    for (const service of await client.list('v1', 'Service')) {
      const id = service.metadata.annotations?.[TKE.loadBalancerId];
      // A Service being deleted (waiting on others' finalizers) has its CLB released, as
      // the service controller does before it removes its own finalizer.
      if (
        !id ||
        service.spec.type !== 'LoadBalancer' ||
        service.metadata.deletionTimestamp
      ) {
        continue;
      }
      current.set(service.metadata.uid, id);
      if (!loadBalancers.has(service.metadata.uid)) {
        cloud.recordServiceUid({
          ...where,
          loadBalancerId: id,
          serviceUid: service.metadata.uid,
        });
      }
    }
    for (const [uid, id] of loadBalancers) {
      if (!current.has(uid)) {
        cloud.releaseServiceLoadBalancer({
          region: where.region,
          loadBalancerId: id,
        });
      }
    }
    loadBalancers.clear();
    current.forEach((id, uid) => loadBalancers.set(uid, id));
  };
  const loop = (async () => {
    while (running) {
      await bindEips();
      await followServices();
      await new Promise(resolve => setTimeout(resolve, 300));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
