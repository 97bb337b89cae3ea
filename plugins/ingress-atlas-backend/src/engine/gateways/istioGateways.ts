import { refOf, ClusterObjects, Workload } from '../kube/ClusterObjects';
import { GatewaySet } from './GatewaySet';
import { tlsInfo } from './tls';

const TLS_PROTOCOLS = ['HTTPS', 'TLS'];

export function istioConfigKey(namespace: string, name: string) {
  return `istio/${namespace}/${name}`;
}

/** Strips the `namespace/` scope Istio allows on Gateway server hosts. */
export function bareHost(host: string): string {
  const slash = host.indexOf('/');
  return (slash >= 0 ? host.slice(slash + 1) : host).toLowerCase();
}

/** Workloads that are Istio gateways by their labels, even when no Gateway configures them. */
export function isIstioGatewayWorkload(workload: Workload): boolean {
  const istio = workload.templateLabels.istio;
  return (
    istio === 'ingressgateway' ||
    istio === 'eastwestgateway' ||
    workload.templateLabels['gateway.istio.io/managed'] !== undefined
  );
}

/** Gateways configured by Istio `Gateway` objects, matched to proxies by their selector. */
export function addIstioGateways(
  set: GatewaySet,
  objects: ClusterObjects,
  now: Date,
) {
  for (const config of objects.list('istioGateways')) {
    const namespace = config.metadata.namespace ?? 'default';
    const key = istioConfigKey(namespace, config.metadata.name);
    for (const workload of objects.workloadsMatching(config.spec?.selector)) {
      const gateway = set.forWorkload(workload, 'istio');
      set.addConfig(gateway, refOf(config, objects.name, 'Gateway'));
      set.bind(key, gateway);
      for (const server of config.spec?.servers ?? []) {
        const protocol = String(server.port?.protocol ?? 'HTTP').toUpperCase();
        gateway.listeners.push({
          port: Number(server.port?.number),
          protocol,
          hosts: (server.hosts ?? []).map(bareHost),
          // Istio reads credentialName from the gateway workload's namespace, not the config's.
          tls: TLS_PROTOCOLS.includes(protocol)
            ? tlsInfo(objects, now, {
                mode: server.tls?.mode,
                credentialName: server.tls?.credentialName,
                serverCertificate: server.tls?.serverCertificate,
                secretNamespace: workload.namespace,
              })
            : undefined,
          source: refOf(config, objects.name, 'Gateway'),
        });
      }
    }
  }
  for (const workload of objects.workloads.filter(isIstioGatewayWorkload)) {
    set.forWorkload(workload, 'istio');
  }
}
