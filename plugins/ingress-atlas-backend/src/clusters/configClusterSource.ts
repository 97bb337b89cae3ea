import { Config } from '@backstage/config';
import {
  ClusterConnection,
  IngressAtlasClusterSource,
  readConfigClusters,
  validateClusterUrl,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/** Clusters listed under `ingressAtlas.clusters`. Read and validated once, at startup. */
export function configClusterSource(root: Config): IngressAtlasClusterSource {
  const connections = readConfigClusters(root);
  return { id: 'config', listClusters: async () => connections };
}

/**
 * The clusters configured for Backstage's Kubernetes plugin through a `config` locator
 * with a service-account token, so both plugins look at the same clusters.
 */
export function kubernetesConfigClusterSource(
  root: Config,
  options: { allowInsecureHttp: boolean },
): IngressAtlasClusterSource {
  const connections: ClusterConnection[] = [];
  for (const locator of root.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    if (locator.getString('type') !== 'config') continue;
    for (const cluster of locator.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const url = cluster.getString('url');
      const token = cluster.getOptionalString('serviceAccountToken');
      if (cluster.getOptionalString('authProvider') !== 'serviceAccount' || !token) {
        continue;
      }
      validateClusterUrl(url, {
        allowInsecureHttp: options.allowInsecureHttp,
        what: `kubernetes cluster ${name} url`,
      });
      connections.push({
        descriptor: {
          name,
          title: cluster.getOptionalString('title'),
          source: 'kubernetes-config',
          provider: 'generic',
          url,
        },
        auth: {
          token,
          caData: cluster.getOptionalString('caData'),
          skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
        },
      });
    }
  }
  return { id: 'kubernetes-config', listClusters: async () => connections };
}
