import {
  CloudAddress,
  CloudLoadBalancer,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { Located } from './CloudIndex';

/** What every billable resource the cloud reports carries: where it is and its id. */
function identity(found: Located<{ id: string }>) {
  return {
    provider: found.provider as CloudProvider,
    id: found.item.id,
    region: found.region,
  };
}

/** A load balancer the cloud reports, as the model bills it. */
export function loadBalancerResource(
  lb: Located<CloudLoadBalancer>,
): BillableResource {
  const { network, kind, chargeType } = lb.item;
  return {
    ...identity(lb),
    kind: 'load-balancer',
    network,
    loadBalancerKind: kind,
    chargeType,
  };
}

/** An elastic IP the cloud reports, as the model bills it: idle while bound to nothing. */
export function addressResource(
  address: Located<CloudAddress>,
): BillableResource {
  const { chargeType, bandwidthMbps } = address.item;
  return {
    ...identity(address),
    kind: 'eip',
    network: 'public',
    bound: isBound(address.item),
    chargeType,
    bandwidthMbps,
  };
}

export function isBound(address: CloudAddress): boolean {
  return address.status !== 'UNBIND';
}
