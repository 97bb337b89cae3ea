import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  Gateway,
  bareHost,
  matchesSelector,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { refOf, ClusterObjects, Workload } from '../kube/ClusterObjects';
import { GatewayDetector, serviceRef } from './GatewaySet';
import { tlsInfo } from './tls';

const TLS_PROTOCOLS = ['HTTPS', 'TLS'];

export function istioConfigKey(namespace: string, name: string) {
  return `istio/${namespace}/${name}`;
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

/**
 * Services whose pods would carry a Gateway's selector: every label of the selector is in the
 * Service's selector, so any pod the Service selects has them too.
 */
function servicesFor(
  objects: ClusterObjects,
  selector: Record<string, string> | undefined,
): KubeObject[] {
  return objects
    .list('services')
    .filter(s => matchesSelector(selector, s.spec?.selector));
}

function addServers(
  gateway: Gateway,
  config: KubeObject,
  objects: ClusterObjects,
  now: Date,
  workload: Pick<Workload, 'namespace'> & Partial<Pick<Workload, 'podSpec'>>,
) {
  for (const server of config.spec?.servers ?? []) {
    const protocol = String(server.port?.protocol ?? 'HTTP').toUpperCase();
    gateway.listeners.push({
      name: server.port?.name,
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
            pod: workload.podSpec && {
              namespace: workload.namespace,
              spec: workload.podSpec,
            },
          })
        : undefined,
      source: refOf(config, objects.name, 'Gateway'),
    });
  }
}

/** Gateways configured by Istio `Gateway` objects, matched to proxies by their selector. */
export const addIstioGateways: GatewayDetector = (set, objects, now) => {
  for (const config of objects.list('istioGateways')) {
    const namespace = config.metadata.namespace ?? 'default';
    const key = istioConfigKey(namespace, config.metadata.name);
    const workloads = objects.workloadsMatching(config.spec?.selector);
    for (const workload of workloads) {
      const gateway = set.forWorkload(workload, 'istio');
      set.addConfig(gateway, refOf(config, objects.name, 'Gateway'));
      set.bind(key, gateway);
      addServers(gateway, config, objects, now, workload);
    }
    if (workloads.length === 0) {
      // The proxy may be in another file or cluster: its servers are still declared. Gateways
      // with the same selector configure the same proxy, named after its Service when known.
      const selector = config.spec?.selector ?? {};
      const declared = [...set.declaredLabels].find(([, labels]) =>
        matchesSelector(selector, labels),
      );
      if (declared) {
        const gateway = set.get(declared[0])!;
        set.addConfig(gateway, refOf(config, objects.name, 'Gateway'));
        set.bind(key, gateway);
        addServers(gateway, config, objects, now, {
          namespace: gateway.namespace,
        });
        continue;
      }
      const services = servicesFor(objects, selector);
      const label = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const proxyNamespace = services[0]?.metadata.namespace ?? namespace;
      const proxyName = services[0]?.metadata.name ?? `selector:${label}`;
      const gateway = set.forConfig(proxyNamespace, proxyName, 'istio');
      gateway.origin = 'declared';
      // The label Istio's east-west gateway carries, as its samples select it.
      gateway.eastWest ||= selector.istio === 'eastwestgateway';
      gateway.originNote = `no workload in the input carries the selector ${label} of Gateway ${namespace}/${config.metadata.name}`;
      gateway.services = services.map(s => serviceRef(objects.name, s));
      set.addConfig(gateway, refOf(config, objects.name, 'Gateway'));
      set.bind(key, gateway);
      addServers(gateway, config, objects, now, { namespace: proxyNamespace });
    }
  }
  for (const workload of objects.workloads.filter(isIstioGatewayWorkload)) {
    set.forWorkload(workload, 'istio');
  }
};
