import type { ConnectedCluster } from '../clusters';
import { KubeObject } from '../kube';
import type { ReachabilityProbe } from '../reachability';
import {
  AddressState,
  PodEip,
  allBound,
  describeAddresses,
  podEips,
} from '../tke';
import type { TencentCloud } from '../tencent';
import { Preflight, Zod } from './common';

export interface GatewayEip {
  pod: string;
  ip: string;
  addressId?: string;
  status?: string;
}

/** How the actions that bind or check gateway EIPs report them. */
export const gatewayEipOutputs = {
  publicIps: (z: Zod) =>
    z.array(z.string(), { description: 'The EIPs of the gateway pods' }),
  addresses: (z: Zod) =>
    z.array(
      z.object({
        pod: z.string(),
        ip: z.string(),
        addressId: z.string().optional(),
        status: z.string().optional(),
      }),
      {
        description: 'Each pod with its EIP and its DescribeAddresses state',
      },
    ),
};

/** Each pod with its EIP and, when DescribeAddresses knows it, the address's id and state. */
export function gatewayEipsOf(
  eips: PodEip[],
  addresses: AddressState[],
): GatewayEip[] {
  return eips.map(e => {
    const address = addresses.find(a => a.ip === e.ip);
    return {
      pod: e.pod,
      ip: e.ip!,
      ...(address?.addressId && { addressId: address.addressId }),
      ...(address?.status && { status: address.status }),
    };
  });
}

/**
 * The gateway's pod EIPs as the cluster's cloud account confirms them: every pod is ready with
 * `eip-public-ip`, and DescribeAddresses reports each address bound. Problems go to
 * `preflight`. `confirmed` holds the addresses the account knows: a pod annotation, which anyone
 * who can edit pods can set, never decides alone where traffic or a probe goes.
 */
export async function confirmGatewayEips(options: {
  cluster: ConnectedCluster;
  cloud?: TencentCloud;
  statefulSet: KubeObject | undefined;
  preflight: Preflight;
}): Promise<{ eips: GatewayEip[]; confirmed: string[] }> {
  const { cluster, cloud, statefulSet, preflight } = options;
  if (!statefulSet) {
    preflight.failUnlessDryRun(
      'the gateway StatefulSet does not exist: run ingress-atlas:gateway:bind-eip first',
    );
    return { eips: [], confirmed: [] };
  }
  const name = `${statefulSet.metadata!.namespace}/${
    statefulSet.metadata!.name
  }`;
  const eips = await podEips(cluster, statefulSet);
  const podStates = eips
    .map(
      e => `${e.pod}: ${e.ready ? 'ready' : 'not ready'}, ${e.ip ?? 'no EIP'}`,
    )
    .join('; ');
  if (!allBound(statefulSet, eips)) {
    preflight.failUnlessDryRun(
      `not every pod of StatefulSet ${name} is ready with an EIP (${
        podStates || 'no pods'
      })`,
    );
    return { eips: [], confirmed: [] };
  }
  preflight.pass(
    `every pod of StatefulSet ${name} is ready with an EIP (${podStates})`,
  );
  const ips = eips.map(e => e.ip!);
  if (!cloud || !cluster.region) {
    preflight.fail(
      `no Tencent Cloud account covers region ${
        cluster.region ?? '(unset)'
      } of cluster ${
        cluster.name
      }, so DescribeAddresses cannot confirm that ${ips.join(', ')} are bound`,
    );
    return { eips: gatewayEipsOf(eips, []), confirmed: [] };
  }
  const addresses = await describeAddresses(cloud, cluster.region, ips);
  for (const address of addresses) {
    preflight.check(
      address.bound,
      `EIP ${address.ip} (${address.addressId}) is ${address.status}`,
      address.addressId
        ? `EIP ${address.ip} (${address.addressId}) is ${address.status}, not bound`
        : `DescribeAddresses does not know ${address.ip}`,
    );
  }
  return {
    eips: gatewayEipsOf(eips, addresses),
    confirmed: addresses.filter(a => a.addressId).map(a => a.ip),
  };
}

/**
 * Checks that a gateway answers on its pod EIPs before anything depends on them: the EIPs as
 * confirmGatewayEips confirms them, and (unless skipped) each confirmed address accepts
 * connections on `ports`, probed only on a real run: a dry run connects nowhere.
 */
export async function checkGatewayEips(options: {
  cluster: ConnectedCluster;
  cloud?: TencentCloud;
  statefulSet: KubeObject | undefined;
  ports: number[];
  probe?: ReachabilityProbe;
  preflight: Preflight;
  dryRun: boolean;
}): Promise<GatewayEip[]> {
  const { ports, probe, preflight, dryRun } = options;
  const { eips: result, confirmed } = await confirmGatewayEips(options);
  if (result.length === 0) return result;
  const ips = result.map(e => e.ip);
  if (!probe) {
    preflight.warn(
      `Reachability check skipped (checkReachability: false): ${ips.join(
        ', ',
      )} were not probed on port(s) ${ports.join(', ')}; ` +
        'relying on the pod annotation and DescribeAddresses. Check from outside before relying on these addresses',
    );
    return result;
  }
  if (dryRun) {
    preflight.warn(
      `Dry run: ${
        confirmed.join(', ') || 'no address'
      } not probed on port(s) ${ports.join(', ')}; a real run connects to each`,
    );
    return result;
  }
  // At once: an address that does not answer costs the probe's whole timeout.
  const targets = confirmed.flatMap(address =>
    ports.map(port => ({ address, port })),
  );
  const answers = await Promise.all(targets.map(target => probe(target)));
  targets.forEach(({ address, port }, i) =>
    preflight.check(
      answers[i].reachable,
      `${address}:${port} answers (${answers[i].detail})`,
      `${address}:${port} does not answer (${answers[i].detail})`,
    ),
  );
  return result;
}
