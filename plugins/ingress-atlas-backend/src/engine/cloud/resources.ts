import {
  CloudAddress,
  CloudLoadBalancer,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { Located } from './CloudIndex';

/** A load balancer the cloud reports, as the model bills it. */
export function loadBalancerResource(
  located: Located<CloudLoadBalancer>,
): BillableResource {
  return {
    provider: located.provider as CloudProvider,
    kind: 'load-balancer',
    id: located.item.id,
    network: located.item.network,
    loadBalancerKind: located.item.kind,
    chargeType: located.item.chargeType,
    region: located.region,
  };
}

/** An elastic IP the cloud reports, as the model bills it: idle while bound to nothing. */
export function addressResource(
  located: Located<CloudAddress>,
): BillableResource {
  return {
    provider: located.provider as CloudProvider,
    kind: 'eip',
    id: located.item.id,
    network: 'public',
    bound: isBound(located.item),
    chargeType: located.item.chargeType,
    bandwidthMbps: located.item.bandwidthMbps,
    region: located.region,
  };
}

export function isBound(address: CloudAddress): boolean {
  return address.status !== 'UNBIND';
}
