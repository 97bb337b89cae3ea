import { Config } from '@backstage/config';
import {
  ClusterConnection,
  CloudProviderId,
  IngressAtlasClusterSource,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { validateClusterUrl } from './validateClusterUrl';

const PROVIDERS: CloudProviderId[] = ['tencent', 'aliyun', 'huawei', 'generic'];

function readProvider(config: Config, key: string): CloudProviderId {
  const value = config.getOptionalString(key) ?? 'generic';
  if (!PROVIDERS.includes(value as CloudProviderId)) {
    throw new Error(
      `Invalid ${key} "${value}"; expected one of ${PROVIDERS.join(', ')}`,
    );
  }
  return value as CloudProviderId;
}

/** Clusters listed under `ingressAtlas.clusters`. Read and validated once, at startup. */
export function configClusterSource(
  root: Config,
  options: { allowInsecureHttp: boolean },
): IngressAtlasClusterSource {
  const connections = (root.getOptionalConfigArray('ingressAtlas.clusters') ?? []).map(
    (config, index): ClusterConnection => {
      const where = `ingressAtlas.clusters[${index}]`;
      const name = config.getString('name');
      const url = config.getOptionalString('url');
      const kubeconfigPath = config.getOptionalString('kubeconfigPath');
      const manifests = config.getOptionalStringArray('manifests');
      const ways = [url, kubeconfigPath, manifests].filter(Boolean).length;
      if (ways !== 1) {
        throw new Error(
          `${where} (${name}) needs exactly one of url, kubeconfigPath or manifests`,
        );
      }
      if (url) {
        validateClusterUrl(url, {
          allowInsecureHttp: options.allowInsecureHttp,
          what: `${where}.url`,
        });
      }
      return {
        descriptor: {
          name,
          title: config.getOptionalString('title'),
          source: manifests ? 'manifests' : 'config',
          provider: readProvider(config, 'provider'),
          region: config.getOptionalString('region'),
          cloudClusterId: config.getOptionalString('cloudClusterId'),
          url: url ?? manifests?.join(', '),
          readOnly: Boolean(manifests),
        },
        kubeconfigPath,
        auth: url
          ? {
              token: config.getOptionalString('serviceAccountToken'),
              caData: config.getOptionalString('caData'),
              skipTLSVerify: config.getOptionalBoolean('skipTLSVerify'),
            }
          : undefined,
        manifestPaths: manifests,
      };
    },
  );
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
