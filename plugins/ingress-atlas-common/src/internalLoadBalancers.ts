import { CCE } from './cce';
import { CloudProvider } from './model';
import { TKE } from './tke';

/**
 * How each cloud's controller is told to give a LoadBalancer Service a private address only:
 * without its annotations every one of them creates an internet-facing load balancer. A
 * provider missing here has no known rule (`generic`); TKE's needs the subnet of the CLB, and
 * gives nothing without one.
 *
 * @public
 */
export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Partial<
  Record<
    CloudProvider,
    (options: {
      /** TKE: the subnet the internal CLB takes its VIP from. */
      subnetId?: string;
      /** A name for a load balancer created with the Service, where the cloud takes one. */
      name: string;
    }) => Record<string, string> | undefined
  >
> = {
  tencent: ({ subnetId }) =>
    subnetId ? { [TKE.internalSubnetId]: subnetId } : undefined,
  aliyun: () => ({
    'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type':
      'intranet',
  }),
  // A shared ELB created with the Service, with a VIP of the cluster's subnet and no EIP.
  huawei: ({ name }) => ({
    [CCE.elbClass]: 'union',
    [CCE.elbAutocreate]: JSON.stringify({ type: 'inner', name }),
  }),
};
