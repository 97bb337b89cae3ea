import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_PRICES,
  PriceCatalogue,
  mergePriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  ClusterConnection,
  ClusterDescriptor,
  TencentAccount,
  readAllowInsecureHttp,
  readConfigClusters,
  readPriceOverrides,
  readTencentAccounts,
  skipsTlsVerify,
  validateClusterUrl,
} from '@ingress-atlas/plugin-ingress-atlas-node';
// A static import: Node 22+ loads this ESM-only package through require().
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  VersionApi,
} from '@kubernetes/client-node';
import { FIELD_MANAGER } from './kube';

/**
 * A cluster the actions may change, with its Kubernetes clients. Never logged: it holds credentials.
 *
 * @public
 */
export interface ConnectedCluster
  extends Pick<
    ClusterDescriptor,
    'name' | 'provider' | 'region' | 'cloudClusterId' | 'istioConfigCluster'
  > {
  /** The API server URL (no credentials). */
  server: string;
  /** Whether the backend has credentials to change the cluster (a token or a kubeconfig). */
  hasCredentials: boolean;
  /** The Tencent account covering the cluster's region, if any. */
  tencent?: TencentAccount;
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  /** The field manager of its writes: the action's own (see `fieldManagerOf`). */
  fieldManager: string;
  /** The API server's version (`GET /version`), for what differs between Kubernetes releases. */
  version: VersionApi;
  /** For building a kubeconfig that another cluster uses to reach this one (Istio remote secrets). */
  credentials(): { server: string; caData?: string; token?: string };
}

/**
 * The clusters, Tencent accounts and prices of `ingressAtlas.*`, read once at startup by
 * the same reader as the atlas's (so both accept and refuse the same configuration).
 *
 * @public
 */
export class ClusterDirectory {
  readonly #clusters: Map<string, ClusterConnection>;
  readonly #tencent: TencentAccount[];
  readonly #allowInsecureHttp: boolean;
  /** The catalogue with `ingressAtlas.prices` applied, for the actions' cost estimates. */
  readonly prices: PriceCatalogue;

  static fromConfig(config: Config): ClusterDirectory {
    return new ClusterDirectory({
      clusters: new Map(
        readConfigClusters(config).map(c => [c.descriptor.name, c]),
      ),
      tencent: readTencentAccounts(config),
      allowInsecureHttp: readAllowInsecureHttp(config),
      prices: mergePriceCatalogue(DEFAULT_PRICES, readPriceOverrides(config)),
    });
  }

  private constructor(options: {
    clusters: Map<string, ClusterConnection>;
    tencent: TencentAccount[];
    allowInsecureHttp: boolean;
    prices: PriceCatalogue;
  }) {
    this.#clusters = options.clusters;
    this.#tencent = options.tencent;
    this.#allowInsecureHttp = options.allowInsecureHttp;
    this.prices = options.prices;
  }

  names(): string[] {
    return [...this.#clusters.keys()];
  }

  /** The Tencent account named `name`, or the first one covering `region`. */
  tencentAccount(options: {
    name?: string;
    region?: string;
  }): TencentAccount | undefined {
    if (options.name) {
      const account = this.#tencent.find(a => a.name === options.name);
      if (!account) {
        throw new InputError(
          `Unknown Tencent Cloud account "${
            options.name
          }"; configured accounts: ${
            this.#tencent.map(a => a.name).join(', ') || 'none'
          }`,
        );
      }
      return account;
    }
    return this.#tencent.find(
      a => !options.region || a.regions.includes(options.region),
    );
  }

  async connect(
    name: string,
    options: { fieldManager?: string } = {},
  ): Promise<ConnectedCluster> {
    const cluster = this.#clusters.get(name);
    if (!cluster) {
      throw new InputError(
        `Unknown cluster "${name}"; configured clusters: ${
          this.names().join(', ') || 'none'
        }`,
      );
    }
    const { descriptor, auth } = cluster;
    const kc = new KubeConfig();
    if (descriptor.url && !cluster.manifestPaths) {
      kc.loadFromOptions({
        clusters: [
          {
            name,
            server: descriptor.url,
            caData: auth?.caData,
            skipTLSVerify: skipsTlsVerify(descriptor.url, auth),
          },
        ],
        users: [{ name, token: auth?.token }],
        contexts: [{ name, cluster: name, user: name }],
        currentContext: name,
      });
    } else if (cluster.kubeconfigPath) {
      try {
        kc.loadFromFile(cluster.kubeconfigPath);
      } catch (error) {
        // A YAML parse error quotes the lines around the fault, which may hold a token or key:
        // the task log gets the file system's error code at most.
        const code = (error as { code?: unknown }).code;
        throw new InputError(
          `The kubeconfig of cluster "${name}" could not be read${
            typeof code === 'string' ? ` (${code})` : ''
          }`,
        );
      }
    } else {
      throw new InputError(
        `Cluster "${name}" is read from manifests in ingressAtlas.clusters: the actions cannot change it`,
      );
    }
    const server = currentServer(kc, name);
    validateClusterUrl(server, {
      allowInsecureHttp: this.#allowInsecureHttp,
      what: `Cluster "${name}"`,
    });
    return {
      name,
      provider: descriptor.provider,
      region: descriptor.region,
      cloudClusterId: descriptor.cloudClusterId,
      istioConfigCluster: descriptor.istioConfigCluster,
      server,
      hasCredentials: Boolean(auth?.token || cluster.kubeconfigPath),
      tencent:
        descriptor.provider === 'tencent'
          ? this.tencentAccount({ region: descriptor.region })
          : undefined,
      objects: KubernetesObjectApi.makeApiClient(kc),
      core: kc.makeApiClient(CoreV1Api),
      custom: kc.makeApiClient(CustomObjectsApi),
      version: kc.makeApiClient(VersionApi),
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      credentials: () => ({
        server,
        caData: kc.getCurrentCluster()?.caData,
        token: kc.getCurrentUser()?.token,
      }),
    };
  }
}

function currentServer(kc: KubeConfig, name: string): string {
  const server = kc.getCurrentCluster()?.server;
  if (!server) {
    throw new InputError(
      `Cluster "${name}": its kubeconfig has no current cluster`,
    );
  }
  return server;
}
