import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CloudProvider } from '@ingress-atlas/plugin-ingress-atlas-common';
import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  loadManifestCluster,
  ManifestError,
  ManifestObjects,
  yamlMessage,
} from '@ingress-atlas/plugin-ingress-atlas-backend';

/** The file that makes a folder an estates folder: its clusters, one manifest folder each. */
export const ESTATES_FILE = 'estates.yaml';

interface EstateNode {
  name: string;
  internalIp?: string;
  externalIp?: string;
  zone?: string;
  instanceType?: string;
  labels?: Record<string, string>;
}

interface EstateCluster {
  name: string;
  provider?: CloudProvider;
  region?: string;
  cloudClusterId?: string;
  /** The cluster holding its Istio configuration (an ASM instance). */
  istioConfigCluster?: string;
  vpcCni?: boolean;
  nodes?: EstateNode[];
  /** Addresses the cloud gives LoadBalancer Services, by `namespace/name`. */
  loadBalancers?: Record<string, string>;
}

/** Nodes are part of an estate's description, not of its manifests. */
function nodeObject(node: EstateNode): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        ...(node.zone ? { 'topology.kubernetes.io/zone': node.zone } : {}),
        ...(node.instanceType
          ? { 'node.kubernetes.io/instance-type': node.instanceType }
          : {}),
        ...node.labels,
      },
    },
    status: {
      addresses: [
        ...(node.internalIp
          ? [{ type: 'InternalIP', address: node.internalIp }]
          : []),
        ...(node.externalIp
          ? [{ type: 'ExternalIP', address: node.externalIp }]
          : []),
      ],
    },
  };
}

function withLoadBalancerAddresses(
  services: KubeObject[] | undefined,
  addresses: Record<string, string> = {},
) {
  for (const service of services ?? []) {
    const address =
      addresses[`${service.metadata.namespace}/${service.metadata.name}`];
    if (address && !service.status?.loadBalancer?.ingress?.length) {
      service.status = {
        ...service.status,
        loadBalancer: { ingress: [{ ip: address }] },
      };
    }
  }
}

/** Whether a folder is an estates folder (holds {@link ESTATES_FILE}). */
export async function isEstatesFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(dir, ESTATES_FILE))).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads an estates folder (estates.yaml + one manifest folder per cluster, as the sandbox
 * serves them) into offline clusters, with the nodes and load balancer addresses it describes.
 */
export async function loadEstates(
  dir: string,
  options: { only?: string[]; collectedAt?: string } = {},
): Promise<ManifestObjects[]> {
  const file = path.join(dir, ESTATES_FILE);
  let estates: { clusters?: EstateCluster[] };
  try {
    estates = parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]
      ?.line;
    throw new ManifestError(
      file,
      line,
      `invalid YAML: ${yamlMessage((error as Error).message)}`,
    );
  }
  if (!Array.isArray(estates?.clusters)) {
    throw new ManifestError(file, undefined, 'has no "clusters" list');
  }
  const loaded: ManifestObjects[] = [];
  for (const spec of estates.clusters) {
    if (options.only && !options.only.includes(spec.name)) continue;
    const folder = path.join(dir, spec.name);
    // A cluster without a folder has no manifests yet, as the sandbox serves it.
    const exists = await fs.stat(folder).then(
      () => true,
      () => false,
    );
    const result = await loadManifestCluster(
      exists ? [folder] : [],
      {
        name: spec.name,
        provider: spec.provider,
        region: spec.region,
        cloudClusterId: spec.cloudClusterId,
        ...(spec.istioConfigCluster
          ? { istioConfigCluster: spec.istioConfigCluster }
          : {}),
        ...(spec.vpcCni !== undefined
          ? { facts: { vpcCni: spec.vpcCni } }
          : {}),
      },
      { collectedAt: options.collectedAt },
    );
    const objects = result.inventory.objects;
    if (spec.nodes?.length && !objects.nodes?.length) {
      objects.nodes = spec.nodes.map(nodeObject);
    }
    withLoadBalancerAddresses(objects.services, spec.loadBalancers);
    loaded.push(result);
  }
  return loaded;
}
