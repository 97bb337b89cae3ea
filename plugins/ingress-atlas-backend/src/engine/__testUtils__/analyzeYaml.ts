import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterDescriptor } from '@ingress-atlas/plugin-ingress-atlas-node';
import { parseManifests, toInventory } from '../../manifests';
import { analyze } from '../analyze';

/** Analyses one cluster written as YAML text, read as the CLI reads manifest files. */
export function analyzeYaml(
  yaml: string,
  cluster: Partial<ClusterDescriptor> = {},
): AtlasModel {
  const objects = parseManifests(yaml, 'test.yaml').map(o => o.object);
  const { inventory } = toInventory(
    objects,
    { name: 'c', source: 'manifests', provider: 'generic', ...cluster },
    '2026-11-21T00:00:00Z',
  );
  return analyze({ clusters: [inventory] });
}

/** A LoadBalancer Service with the given annotations and extra spec/status. */
export function loadBalancerService(
  name: string,
  annotations: Record<string, string> = {},
  extra: { spec?: object; status?: object } = {},
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'LoadBalancer',
      selector: { app: name },
      ports: [{ port: 443, protocol: 'TCP' }],
      ...extra.spec,
    },
    ...(extra.status ? { status: extra.status } : {}),
  });
}
