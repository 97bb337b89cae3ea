import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { ClusterObjects, refOf } from '../kube/ClusterObjects';
import {
  DEFAULT_EGRESS_GATEWAY,
  DEFAULT_INGRESS_GATEWAY,
  gatewayChartDefaults,
  ISTIO_PROFILES,
} from '../controlPlanes/istioProfiles';
import { versionFromTag } from '../controlPlanes/istioValues';
import { GatewaySet, serviceRef } from './GatewaySet';

const asArray = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const asMap = (value: unknown): Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, any>)
    : {};

interface GatewayComponent {
  which: 'ingress' | 'egress';
  name: string;
  enabled: boolean;
  spec: Record<string, any>;
}

/**
 * The gateways an IstioOperator lists, laid over its profile's: a listed gateway replaces the
 * profile's of the same name; `enabled` defaults to true for a listed one.
 */
function gatewayComponents(iop: KubeObject): GatewayComponent[] {
  const profile =
    ISTIO_PROFILES[iop.spec?.profile ?? 'default'] ?? ISTIO_PROFILES.default;
  const components: GatewayComponent[] = [
    {
      which: 'ingress',
      name: DEFAULT_INGRESS_GATEWAY,
      enabled: profile.ingressGateway,
      spec: {},
    },
    {
      which: 'egress',
      name: DEFAULT_EGRESS_GATEWAY,
      enabled: profile.egressGateway,
      spec: {},
    },
  ];
  for (const [key, which] of [
    ['ingressGateways', 'ingress'],
    ['egressGateways', 'egress'],
  ] as const) {
    for (const raw of asArray(iop.spec?.components?.[key])) {
      const spec = asMap(raw);
      const name =
        typeof spec.name === 'string' && spec.name
          ? spec.name
          : `istio-${which}gateway`;
      const component = {
        which,
        name,
        enabled: spec.enabled !== false,
        spec,
      };
      const index = components.findIndex(c => c.name === name);
      if (index >= 0) components[index] = component;
      else components.push(component);
    }
  }
  return components.filter(c => c.enabled);
}

/** `k8s.service.ports` / values' ports as the gateway chart takes them. */
function portsOf(
  raw: unknown,
): Array<{ port: number; name?: string; protocol?: string }> {
  return asArray(raw)
    .map(p => asMap(p))
    .filter(p => Number.isFinite(Number(p.port)))
    .map(p => ({
      port: Number(p.port),
      name: p.name,
      protocol: p.protocol ?? 'TCP',
    }));
}

/**
 * The gateways IstioOperators install, with the Services they give them, when neither the
 * gateway's Deployment nor its Service is in the input (a GitOps repository often holds only
 * the IstioOperator). Marked declared; their Services are classified like those read.
 */
export function addIstioOperatorGateways(
  set: GatewaySet,
  objects: ClusterObjects,
) {
  for (const iop of objects.list('istioOperators')) {
    const values = asMap(iop.spec?.values);
    const version = versionFromTag(iop.spec?.tag ?? values.global?.tag);
    const defaultNamespace = iop.metadata.namespace ?? 'istio-system';
    for (const component of gatewayComponents(iop)) {
      const { spec, name } = component;
      const namespace =
        typeof spec.namespace === 'string' && spec.namespace
          ? spec.namespace
          : defaultNamespace;
      const observed =
        objects.get('deployments', namespace, name) ??
        objects.get('services', namespace, name);
      if (observed) continue;
      const chart = gatewayChartDefaults(component.which, version);
      // values.gateways.<name> is the older way to set the same chart values.
      const valuesGateway = asMap(asMap(values.gateways)[name]);
      const k8s = asMap(spec.k8s);
      const service = asMap(k8s.service);
      const labels = {
        ...chart.labels,
        ...valuesGateway.labels,
        ...asMap(spec.label),
      };
      if (name !== chart.labels.app && !spec.label?.app) labels.app = name;
      const ports =
        [portsOf(service.ports), portsOf(valuesGateway.ports)].find(
          p => p.length > 0,
        ) ?? chart.ports.map(port => ({ port, protocol: 'TCP' }));
      const provisioned: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name,
          namespace,
          labels,
          annotations: {
            ...asMap(valuesGateway.serviceAnnotations),
            ...asMap(k8s.serviceAnnotations),
          },
        },
        spec: {
          type: service.type ?? valuesGateway.type ?? chart.type,
          selector: labels,
          ports,
          ...(service.loadBalancerSourceRanges ??
          valuesGateway.loadBalancerSourceRanges
            ? {
                loadBalancerSourceRanges:
                  service.loadBalancerSourceRanges ??
                  valuesGateway.loadBalancerSourceRanges,
              }
            : {}),
        },
      };
      const gateway = set.forConfig(namespace, name, 'istio');
      gateway.origin = 'declared';
      gateway.originNote = `IstioOperator ${iop.metadata.name} installs ${
        component.which
      } gateway ${namespace}/${name} (profile ${
        iop.spec?.profile ?? 'default'
      }${version ? `, Istio ${version}` : ''})`;
      gateway.services = [serviceRef(objects.name, provisioned)];
      gateway.eastWest = labels.istio === 'eastwestgateway';
      set.addConfig(gateway, refOf(iop, objects.name, 'IstioOperator'));
      set.declaredLabels.set(gateway.id, labels);
      set.provisioned.push({
        service: provisioned,
        note: `declared: the Service IstioOperator ${iop.metadata.name} installs (not in the input)`,
      });
    }
  }
}
