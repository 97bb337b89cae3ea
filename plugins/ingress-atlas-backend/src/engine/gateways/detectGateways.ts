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

function controlPlaneOf(
  gateway: Gateway,
  objects: ClusterObjects,
  planes: ControlPlane[],
): string | undefined {
  if (
    !gateway.workload ||
    (gateway.kind !== 'istio' && gateway.kind !== 'gateway-api')
  ) {
    return undefined;
  }
  const namespaceLabels = objects.get(
    'namespaces',
    undefined,
    gateway.namespace,
  )?.metadata.labels;
  const revision =
    gateway.workload.labels['istio.io/rev'] ??
    namespaceLabels?.['istio.io/rev'] ??
    'default';
  const matching =
    planes.find(p => p.revision === revision || p.tags.includes(revision)) ??
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
