import {
  ControlPlane,
  Gateway,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';
import { addFrontProxies } from './frontProxies';
import { addGatewayApiGateways } from './gatewayApi';
import { addIngressControllers } from './ingressControllers';
import { addIstioGateways } from './istioGateways';
import { addIstioOperatorGateways } from './istioOperatorGateways';
import { GatewaySet } from './GatewaySet';

const REVISION = 'istio.io/rev';

/**
 * The revision a gateway's proxy is injected by, from every signal there is, the most specific
 * first: its pods' `istio.io/rev` label, its Services' selectors on that label, its namespace's
 * `istio.io/rev` label (a revision or a tag), its namespace's `istio-injection=enabled`
 * (the default revision).
 */
function revisionOfGateway(
  gateway: Gateway,
  objects: ClusterObjects,
): string | undefined {
  const namespace = objects.get('namespaces', undefined, gateway.namespace);
  const fromServices = gateway.services
    .map(
      ref =>
        objects.get('services', ref.namespace, ref.name)?.spec?.selector?.[
          REVISION
        ],
    )
    .find((r): r is string => typeof r === 'string');
  return (
    gateway.workload?.labels[REVISION] ??
    fromServices ??
    namespace?.metadata.labels?.[REVISION] ??
    (namespace?.metadata.labels?.['istio-injection'] === 'enabled'
      ? 'default'
      : undefined)
  );
}

function controlPlaneOf(
  gateway: Gateway,
  objects: ClusterObjects,
  planes: ControlPlane[],
): string | undefined {
  if (gateway.kind !== 'istio' && gateway.kind !== 'gateway-api') {
    return undefined;
  }
  const revision = revisionOfGateway(gateway, objects);
  // Without a proxy or a revision, nothing says which control plane serves it.
  if (!gateway.workload && revision === undefined) return undefined;
  const wanted = revision ?? 'default';
  const matching =
    planes.find(p => p.revision === wanted || p.tags.includes(wanted)) ??
    (planes.length === 1 ? planes[0] : undefined);
  return matching?.id;
}

/**
 * Every gateway of a cluster: Istio and Gateway API gateways, Ingress controllers, then front
 * proxies (last, so they can point at the gateways they forward to).
 */
export function detectGateways(
  objects: ClusterObjects,
  planes: ControlPlane[],
  now: Date,
): GatewaySet {
  const set = new GatewaySet(objects);
  addIstioOperatorGateways(set, objects);
  addIstioGateways(set, objects, now);
  addGatewayApiGateways(set, objects, now);
  addIngressControllers(set, objects, now);
  addFrontProxies(set, objects);

  for (const gateway of set.all()) {
    gateway.controlPlane = controlPlaneOf(gateway, objects, planes);
    gateway.eastWest =
      gateway.eastWest ||
      gateway.workload?.labels.istio === 'eastwestgateway' ||
      gateway.listeners.some(l => l.tls?.mode === 'AUTO_PASSTHROUGH');
  }
  for (const plane of planes) {
    plane.eastWestGateways = set
      .all()
      .filter(g => g.eastWest)
      .map(g => g.id)
      .sort();
  }
  return set;
}
