import { TKE_VPC_CNI } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from './ClusterObjects';

const VPC_CNI_COMPONENTS: string[] = Object.values(TKE_VPC_CNI);

/**
 * Whether pods get VPC IPs (TKE VPC-CNI), which pod EIPs need: the cloud's answer when there is
 * one, else the ENI components in kube-system. Unknown outside TKE.
 */
export function detectVpcCni(objects: ClusterObjects): boolean | undefined {
  const cluster = objects.inventory.cluster;
  if (cluster.facts?.vpcCni !== undefined) return cluster.facts.vpcCni;
  if (cluster.provider !== 'tencent') return undefined;
  const components = [
    ...objects.list('daemonsets'),
    ...objects.list('deployments'),
    ...objects.list('configmaps'),
  ].filter(o => o.metadata.namespace === 'kube-system');
  if (components.some(o => VPC_CNI_COMPONENTS.includes(o.metadata.name)))
    return true;
  return objects.inventory.unavailable.daemonsets ? undefined : false;
}
