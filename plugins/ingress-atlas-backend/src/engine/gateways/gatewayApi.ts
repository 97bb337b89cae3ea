import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { isIpAddress } from '../kube/addresses';
import { refOf } from '../kube/ClusterObjects';
import { GatewayDetector, serviceRef } from './GatewaySet';
import { tlsInfo } from './tls';

const GATEWAY_NAME_LABELS = [
  'gateway.networking.k8s.io/gateway-name',
  'istio.io/gateway-name',
];

const TLS_MODES: Record<string, string> = {
  Terminate: 'SIMPLE',
  Passthrough: 'PASSTHROUGH',
};

/** Classes Istio's gateway controller implements (`istio-remote` gets no proxy: skipped). */
const ISTIO_CLASSES = ['istio'];

/** Istio's status port, which it adds to every Service it provisions. */
const ISTIO_STATUS_PORT = 15021;

/**
 * The Service Istio creates for a Gateway of class `istio`: `<name>-istio`, LoadBalancer unless
 * the `networking.istio.io/service-type` annotation says otherwise, a port per listener port
 * plus the status port, and the Gateway's (and `spec.infrastructure`'s) labels and annotations
 * copied over, which is how cloud load balancer annotations reach it. The addresses the
 * Gateway reports are the Service's.
 */
function istioProvisionedService(config: KubeObject, name: string): KubeObject {
  const annotations = {
    ...config.metadata.annotations,
    ...config.spec?.infrastructure?.annotations,
  };
  const ports = [
    ...new Set<number>([
      ISTIO_STATUS_PORT,
      ...(Array.isArray(config.spec?.listeners) ? config.spec.listeners : [])
        .map((l: any) => Number(l?.port))
        .filter((p: number) => Number.isFinite(p)),
    ]),
  ];
  const addresses = (
    Array.isArray(config.status?.addresses) ? config.status.addresses : []
  )
    .map((a: any) => a?.value)
    .filter((v: unknown) => typeof v === 'string');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: config.metadata.namespace ?? 'default',
      labels: {
        ...config.metadata.labels,
        ...config.spec?.infrastructure?.labels,
        'gateway.networking.k8s.io/gateway-name': config.metadata.name,
      },
      annotations,
    },
    spec: {
      type: annotations['networking.istio.io/service-type'] ?? 'LoadBalancer',
      ports: ports.map(port => ({ port, protocol: 'TCP' })),
    },
    status: {
      loadBalancer: {
        ingress: addresses.map((value: string) =>
          isIpAddress(value) ? { ip: value } : { hostname: value },
        ),
      },
    },
  };
}

export function gatewayApiConfigKey(namespace: string, name: string) {
  return `gateway-api/${namespace}/${name}`;
}

/**
 * Gateways declared with the Gateway API. For class `istio`, Istio deploys the proxy as
 * Deployment and Service `<name>-istio`, labelled with the gateway's name.
 */
export const addGatewayApiGateways: GatewayDetector = (set, objects, now) => {
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
      gateway.origin ??= 'declared';
      gateway.originNote ??= `Gateway ${namespace}/${name} of class ${
        config.spec?.gatewayClassName ?? '?'
      }: its proxy is not in the input`;
      gateway.services = objects
        .list('services')
        .filter(
          s =>
            s.metadata.namespace === namespace &&
            isOurs(s.metadata.labels, s.metadata.name),
        )
        .map(s => serviceRef(objects.name, s));
      if (
        gateway.services.length === 0 &&
        ISTIO_CLASSES.includes(config.spec?.gatewayClassName)
      ) {
        const service = istioProvisionedService(config, generated);
        gateway.origin = 'inferred';
        gateway.originNote = `Istio provisions Deployment and Service ${namespace}/${generated} for a Gateway of class ${config.spec.gatewayClassName}`;
        gateway.services = [serviceRef(objects.name, service)];
        set.provisioned.push({
          service,
          note: `inferred: the Service Istio creates for Gateway ${namespace}/${name} (not in the input)`,
        });
      }
    }
    set.addConfig(gateway, refOf(config, objects.name, 'Gateway'));
    set.bind(gatewayApiConfigKey(namespace, name), gateway);

    for (const listener of config.spec?.listeners ?? []) {
      const protocol = String(listener.protocol ?? 'HTTP').toUpperCase();
      const certificate = listener.tls?.certificateRefs?.[0];
      gateway.listeners.push({
        name: listener.name,
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
};
