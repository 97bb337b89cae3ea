import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import { KubeObject, RunningCluster, startCluster } from '@ingress-atlas/sandbox';

/**
 * For tests: one sandbox API server holding namespace `shop` with Services `svc-0` to `svc-2`,
 * and `more`; and a connection to it with a token.
 */
export async function startTestCluster(
  more: KubeObject[] = [],
): Promise<{ cluster: RunningCluster; connection: ClusterConnection }> {
  const cluster = await startCluster({
    spec: {
      name: 'test',
      port: 0,
      provider: 'generic',
      region: 'test-1',
      podCidr: '10.1.0.0/16',
      serviceCidr: '10.2.0.0/16',
      nodes: [{ name: 'node-1', internalIp: '10.0.0.11' }],
      tokens: ['sandbox-token'],
    },
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      ...Array.from({ length: 3 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}`, namespace: 'shop' },
        spec: { selector: { app: `svc-${i}` }, ports: [{ port: 80 }] },
      })),
      ...more,
    ],
  });
  return {
    cluster,
    connection: {
      descriptor: { name: 'test', source: 'config', provider: 'generic', url: cluster.url },
      auth: { token: 'sandbox-token' },
    },
  };
}
