import type { Config } from '@backstage/config';
import {
  CLOUD_PROVIDERS,
  CloudProvider,
  isCloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ClusterConnection } from '../extensions';
import { validateClusterUrl } from './validateClusterUrl';

const KEY = 'ingressAtlas.clusters';

/**
 * `ingressAtlas.allowInsecureHttp`: plain http to hosts other than loopback. Default false.
 *
 * @public
 */
export function readAllowInsecureHttp(config: Config): boolean {
  return config.getOptionalBoolean('ingressAtlas.allowInsecureHttp') ?? false;
}

function readProvider(config: Config, key: string): CloudProvider {
  const value = config.getOptionalString('provider') ?? 'generic';
  if (!isCloudProvider(value)) {
    throw new Error(
      `Invalid ${key} "${value}"; expected one of ${CLOUD_PROVIDERS.join(
        ', ',
      )}`,
    );
  }
  return value;
}

/**
 * Reads `ingressAtlas.clusters`, for the atlas that reads them and the actions that change
 * them. Throws at startup, naming the bad key. Tokens stay in the returned connections only.
 *
 * @public
 */
export function readConfigClusters(root: Config): ClusterConnection[] {
  const allowInsecureHttp = readAllowInsecureHttp(root);
  const names = new Set<string>();
  const connections = (root.getOptionalConfigArray(KEY) ?? []).map(
    (config, index): ClusterConnection => {
      const where = `${KEY}[${index}]`;
      const name = config.getString('name');
      if (names.has(name)) {
        throw new Error(`${where}.name: cluster "${name}" is configured twice`);
      }
      names.add(name);
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
        validateClusterUrl(url, { allowInsecureHttp, what: `${where}.url` });
      }
      return {
        descriptor: {
          name,
          title: config.getOptionalString('title'),
          source: manifests ? 'manifests' : 'config',
          provider: readProvider(config, `${where}.provider`),
          region: config.getOptionalString('region'),
          cloudClusterId: config.getOptionalString('cloudClusterId'),
          url: url ?? manifests?.join(', '),
          readOnly: Boolean(manifests),
          istioConfigCluster: config.getOptionalString('istioConfigCluster'),
        },
        kubeconfigPath,
        auth: url
          ? {
              token: config.getOptionalString('serviceAccountToken'),
              caData: config.getOptionalString('caData'),
              skipTLSVerify:
                config.getOptionalBoolean('skipTLSVerify') ?? false,
            }
          : undefined,
        manifestPaths: manifests,
      };
    },
  );
  connections.forEach(({ descriptor: { name, istioConfigCluster } }, index) => {
    if (
      istioConfigCluster !== undefined &&
      (istioConfigCluster === name || !names.has(istioConfigCluster))
    ) {
      throw new Error(
        `${KEY}[${index}].istioConfigCluster (${name}): "${istioConfigCluster}" must name another cluster of ${KEY}`,
      );
    }
  });
  return connections;
}

/**
 * Whether a client skips TLS verification for a connection: when configured, and always for
 * plain http, which has no TLS to verify (Kubernetes clients refuse http otherwise). Such URLs
 * were limited to loopback, or explicitly allowed, by {@link validateClusterUrl}.
 *
 * @public
 */
export function skipsTlsVerify(
  url: string,
  auth: ClusterConnection['auth'],
): boolean {
  return Boolean(auth?.skipTLSVerify) || url.startsWith('http:');
}
