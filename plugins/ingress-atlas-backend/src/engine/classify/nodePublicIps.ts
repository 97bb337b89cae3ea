import {
  CloudAddress,
  KubeObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex, Located } from '../cloud/CloudIndex';
import { addressResource, isBound } from '../cloud/resources';
import { isPrivateAddress } from '../kube/addresses';
import { ClusterObjects, nodeAddresses } from '../kube/ClusterObjects';
import { resourceKeys } from '../types';

function instanceIdOf(node: KubeObject): string | undefined {
  // e.g. qcloud:///800002/ins-abc, alicloud://cn-hangzhou.i-xyz
  return node.spec?.providerID?.split(/[/.]/).pop();
}

function boundTo(address: CloudAddress, node: KubeObject): boolean {
  if (!isBound(address)) return false;
  if (address.instanceId === undefined && address.privateIp === undefined)
    return true;
  return (
    (address.instanceId !== undefined &&
      address.instanceId === instanceIdOf(node)) ||
    nodeAddresses(node).internal.includes(address.privateIp ?? '')
  );
}

export interface NodePublicIps {
  /** The nodes' public IPs; their internal ones when none has a public IP. */
  addresses: string[];
  /** The EIPs behind the public IPs. */
  resources: BillableResource[];
  notes: string[];
}

/**
 * Where nodes are reached from outside, and the EIPs that bills: a node's ExternalIP, joined to
 * the cloud's EIP at that IP when the cloud has it bound to the node's instance or ENI; a node
 * without an ExternalIP, at the EIP the cloud reports bound to it. An EIP the cloud reports
 * bound to nothing is left out, as it is billed idle whatever the node says; a public IP the
 * cloud does not list is billed as an EIP keyed by its node.
 */
export function nodePublicIps(
  objects: ClusterObjects,
  nodes: KubeObject[],
  cloud: CloudIndex,
): NodePublicIps {
  const { provider, region } = objects.inventory.cluster;
  const result: NodePublicIps = { addresses: [], resources: [], notes: [] };
  for (const node of nodes) {
    const { external, internal } = nodeAddresses(node);
    const joined: Array<{ ip: string; located?: Located<CloudAddress> }> =
      external.length > 0
        ? external.map(ip => ({ ip, located: cloud.address({ ip }) }))
        : [
            cloud.address({ instanceId: instanceIdOf(node) }, region) ??
              internal
                .map(privateIp => cloud.address({ privateIp }, region))
                .find(Boolean),
          ]
            .filter((l): l is Located<CloudAddress> => !!l && isBound(l.item))
            .map(located => ({ ip: located.item.ip, located }));
    for (const { ip, located } of joined) {
      result.addresses.push(ip);
      if (located && boundTo(located.item, node)) {
        result.resources.push(addressResource(located));
      } else if (located) {
        result.notes.push(
          `${ip} of node ${node.metadata.name} is EIP ${
            located.item.id
          }, which the cloud reports ${
            isBound(located.item) ? 'bound elsewhere' : 'bound to nothing'
          }`,
        );
      } else if (provider !== 'generic' && !isPrivateAddress(ip)) {
        const id = resourceKeys.nodeEip(objects.name, node.metadata.name);
        result.resources.push({
          provider: provider as CloudProvider,
          kind: 'eip',
          id,
          network: 'public',
          bound: true,
          region,
        });
        result.notes.push(
          `${id}: public IP ${ip} of node ${node.metadata.name}, not in the cloud inventory`,
        );
      }
    }
  }
  if (result.addresses.length === 0) {
    result.addresses = nodes.flatMap(n => nodeAddresses(n).internal);
  }
  return result;
}
