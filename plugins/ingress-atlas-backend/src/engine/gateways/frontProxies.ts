import { ClusterObjects, refOf } from '../kube/ClusterObjects';
import { GatewaySet } from './GatewaySet';
import { proxyForwards } from './proxyConfig';

const API_SERVER_HOST =
  /^kubernetes(\.default(\.svc(\.cluster\.local)?)?)?\.?$/;

/**
 * Front proxies: workloads forwarding raw TCP (Envoy `tcp_proxy`, nginx `stream`) from a
 * ConfigMap they mount. A forward to a gateway's Service puts the proxy in front of that
 * gateway; a forward to `kubernetes.default` exposes the API server.
 */
export function addFrontProxies(set: GatewaySet, objects: ClusterObjects) {
  const apiService = objects.get('services', 'default', 'kubernetes');
  for (const configMap of objects.list('configmaps')) {
    const namespace = configMap.metadata.namespace ?? 'default';
    const forwards = Object.values<string>(configMap.data ?? {}).flatMap(
      proxyForwards,
    );
    if (forwards.length === 0) continue;

    const mounting = objects.workloads.filter(
      w =>
        w.namespace === namespace &&
        (w.podSpec?.volumes ?? []).some(
          (v: any) =>
            v.configMap?.name === configMap.metadata.name ||
            (v.projected?.sources ?? []).some(
              (s: any) => s.configMap?.name === configMap.metadata.name,
            ),
        ),
    );
    const gateways = mounting.length
      ? mounting.map(
          w => set.byWorkload(w) ?? set.forWorkload(w, 'front-proxy'),
        )
      : [set.forConfig(namespace, configMap.metadata.name, 'front-proxy')];

    for (const gateway of gateways) {
      gateway.kind = 'front-proxy';
      set.addConfig(gateway, refOf(configMap, objects.name, 'ConfigMap'));
      gateway.upstreams ??= [];
      for (const forward of forwards) {
        const service = objects.serviceByHost(forward.host, namespace);
        const apiServer =
          API_SERVER_HOST.test(forward.host) ||
          (apiService !== undefined && service === apiService);
        const target = `${forward.host}${
          forward.targetPort ? `:${forward.targetPort}` : ''
        }`;
        if (
          !gateway.upstreams.some(
            u => u.target === target && u.port === forward.port,
          )
        ) {
          gateway.upstreams.push({
            target,
            port: forward.port,
            gateway: apiServer ? undefined : set.byService(service)?.id,
            apiServer: apiServer || undefined,
          });
        }
        if (
          forward.port &&
          !gateway.listeners.some(l => l.port === forward.port)
        ) {
          gateway.listeners.push({
            port: forward.port,
            protocol: 'TCP',
            hosts: ['*'],
            source: refOf(configMap, objects.name, 'ConfigMap'),
          });
        }
      }
    }
  }
}
