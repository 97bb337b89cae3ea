import { refOf, ClusterObjects } from '../kube/ClusterObjects';
import { GatewaySet, serviceRef } from './GatewaySet';
import { tlsInfo } from './tls';

const GATEWAY_NAME_LABELS = [
  'gateway.networking.k8s.io/gateway-name',
  'istio.io/gateway-name',
];

const TLS_MODES: Record<string, string> = {
  Terminate: 'SIMPLE',
  Passthrough: 'PASSTHROUGH',
};

export function gatewayApiConfigKey(namespace: string, name: string) {
  return `gateway-api/${namespace}/${name}`;
}

/**
 * Gateways declared with the Gateway API. For class `istio`, Istio deploys the proxy as
 * Deployment and Service `<name>-istio`, labelled with the gateway's name.
 */
export function addGatewayApiGateways(
  set: GatewaySet,
  objects: ClusterObjects,
  now: Date,
) {
  for (const config of objects.list('k8sGateways')) {
    const namespace = config.metadata.namespace ?? 'default';
    const name = config.metadata.name;
    const generated = `${name}-${config.spec?.gatewayClassName ?? 'istio'}`;
    const isOurs = (
      labels: Record<string, string> | undefined,
      objectName: string,
    ) =>
      objectName === generated ||
      GATEWAY_NAME_LABELS.some(l => labels?.[l] === name);

    const workload = objects.workloads.find(
      w =>
        w.namespace === namespace &&
        w.kind !== 'Pod' &&
        isOurs(w.templateLabels, w.name),
    );
    const gateway = workload
      ? set.forWorkload(workload, 'gateway-api')
      : set.forConfig(namespace, generated, 'gateway-api');
    if (!workload) {
      gateway.services = objects
        .list('services')
        .filter(
          s =>
            s.metadata.namespace === namespace &&
            isOurs(s.metadata.labels, s.metadata.name),
        )
        .map(s => serviceRef(objects.name, s));
    }
    set.addConfig(gateway, refOf(config, objects.name, 'Gateway'));
    set.bind(gatewayApiConfigKey(namespace, name), gateway);

    for (const listener of config.spec?.listeners ?? []) {
      const protocol = String(listener.protocol ?? 'HTTP').toUpperCase();
      const certificate = listener.tls?.certificateRefs?.[0];
      gateway.listeners.push({
        port: Number(listener.port),
        protocol,
        hosts: [String(listener.hostname ?? '*').toLowerCase()],
        tls:
          protocol === 'HTTPS' || protocol === 'TLS'
            ? tlsInfo(objects, now, {
                mode:
                  TLS_MODES[listener.tls?.mode ?? 'Terminate'] ??
                  listener.tls?.mode,
                credentialName: certificate
                  ? `${certificate.namespace ?? namespace}/${certificate.name}`
                  : undefined,
                secretNamespace: namespace,
              })
            : undefined,
        source: refOf(config, objects.name, 'Gateway'),
      });
    }
  }
}
