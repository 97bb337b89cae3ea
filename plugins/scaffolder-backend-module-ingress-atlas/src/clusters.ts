import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CloudProvider } from '@ingress-atlas/plugin-ingress-atlas-common';
// A static import: Node 22+ loads this ESM-only package through require().
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';

/** A Tencent Cloud account from `ingressAtlas.providers.tencent[]`. */
export interface TencentAccount {
  name: string;
  /** Regions the account covers; undefined means all. */
  regions?: string[];
  /** `host[:port]` and protocol of an endpoint override; undefined means the public endpoints. */
  endpoint?: { host: string; protocol: 'https://' | 'http://' };
  secretId: string;
  secretKey: string;
}

interface ClusterConfig {
  name: string;
  provider: CloudProvider;
  region?: string;
  cloudClusterId?: string;
  url?: string;
  token?: string;
  caData?: string;
  skipTLSVerify: boolean;
  kubeconfigPath?: string;
}

/** A cluster the actions may change, with its Kubernetes clients. Never logged: it holds credentials. */
export interface ClusterConnection {
  name: string;
  provider: CloudProvider;
  region?: string;
  cloudClusterId?: string;
  /** The API server URL (no credentials). */
  server: string;
  /** Whether the backend has credentials to change the cluster (a token or a kubeconfig). */
  hasCredentials: boolean;
  /** The Tencent account covering the cluster's region, if any. */
  tencent?: TencentAccount;
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  /** For building a kubeconfig that another cluster uses to reach this one (Istio remote secrets). */
  credentials(): { server: string; caData?: string; token?: string };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Checks a URL before any credential is sent to it: http(s) only, no user info, and plain
 * http only on loopback unless `allowInsecureHttp` is set.
 */
export function validateApiUrl(
  raw: string,
  what: string,
  allowInsecureHttp = false,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${what}: "${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      `${what}: protocol ${url.protocol} is not allowed; use https`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(`${what}: credentials in the URL are not allowed`);
  }
  if (url.search || url.hash) {
    throw new InputError(
      `${what}: query strings and fragments are not allowed`,
    );
  }
  if (
    url.protocol === 'http:' &&
    !LOOPBACK.has(url.hostname.toLowerCase()) &&
    !allowInsecureHttp
  ) {
    throw new InputError(
      `${what}: plain http to ${url.hostname} is not allowed; use https`,
    );
  }
  return url;
}

/** The clusters and cloud accounts of `ingressAtlas.*`, read once at startup. */
export class ClusterDirectory {
  readonly #clusters: Map<string, ClusterConfig>;
  readonly #tencent: TencentAccount[];
  readonly #allowInsecureHttp: boolean;

  static fromConfig(config: Config): ClusterDirectory {
    const root = config.getOptionalConfig('ingressAtlas');
    const allowInsecureHttp =
      root?.getOptionalBoolean('allowInsecureHttp') ?? false;
    const clusters = new Map<string, ClusterConfig>();
    (root?.getOptionalConfigArray('clusters') ?? []).forEach((c, index) => {
      const name = c.getString('name');
      if (clusters.has(name)) {
        throw new InputError(
          `ingressAtlas.clusters[${index}].name: cluster "${name}" is configured twice`,
        );
      }
      const url = c.getOptionalString('url');
      if (url) {
        validateApiUrl(
          url,
          `ingressAtlas.clusters[${index}].url`,
          allowInsecureHttp,
        );
      }
      clusters.set(name, {
        name,
        provider: (c.getOptionalString('provider') ??
          'generic') as CloudProvider,
        region: c.getOptionalString('region'),
        cloudClusterId: c.getOptionalString('cloudClusterId'),
        url,
        token: c.getOptionalString('serviceAccountToken'),
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        kubeconfigPath: c.getOptionalString('kubeconfigPath'),
      });
    });
    const tencent = (
      root?.getOptionalConfigArray('providers.tencent') ?? []
    ).map((a, index) => {
      const endpoint = a.getOptionalString('endpoint');
      return {
        name: a.getString('name'),
        regions: a.getOptionalStringArray('regions'),
        endpoint: endpoint
          ? parseEndpoint(
              endpoint,
              `ingressAtlas.providers.tencent[${index}].endpoint`,
              allowInsecureHttp,
            )
          : undefined,
        secretId: a.getString('credentials.secretId'),
        secretKey: a.getString('credentials.secretKey'),
      };
    });
    return new ClusterDirectory(clusters, tencent, allowInsecureHttp);
  }

  private constructor(
    clusters: Map<string, ClusterConfig>,
    tencent: TencentAccount[],
    allowInsecureHttp: boolean,
  ) {
    this.#clusters = clusters;
    this.#tencent = tencent;
    this.#allowInsecureHttp = allowInsecureHttp;
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
      a => !a.regions || !options.region || a.regions.includes(options.region),
    );
  }

  async connect(name: string): Promise<ClusterConnection> {
    const cluster = this.#clusters.get(name);
    if (!cluster) {
      throw new InputError(
        `Unknown cluster "${name}"; configured clusters: ${
          this.names().join(', ') || 'none'
        }`,
      );
    }
    const kc = new KubeConfig();
    if (cluster.url) {
      kc.loadFromOptions({
        clusters: [
          {
            name,
            server: cluster.url,
            caData: cluster.caData,
            // The client refuses plain http unless told TLS checks are off; http URLs were
            // validated above (loopback, or allowInsecureHttp).
            skipTLSVerify:
              cluster.skipTLSVerify || cluster.url.startsWith('http:'),
          },
        ],
        users: [{ name, token: cluster.token }],
        contexts: [{ name, cluster: name, user: name }],
        currentContext: name,
      });
    } else if (cluster.kubeconfigPath) {
      kc.loadFromFile(cluster.kubeconfigPath);
    } else {
      throw new InputError(
        `Cluster "${name}" has no url or kubeconfigPath in ingressAtlas.clusters: the actions cannot reach it`,
      );
    }
    const server = currentServer(kc, name);
    validateApiUrl(server, `Cluster "${name}"`, this.#allowInsecureHttp);
    return {
      name,
      provider: cluster.provider,
      region: cluster.region,
      cloudClusterId: cluster.cloudClusterId,
      server,
      hasCredentials: Boolean(cluster.token || cluster.kubeconfigPath),
      tencent:
        cluster.provider === 'tencent'
          ? this.tencentAccount({ region: cluster.region })
          : undefined,
      objects: KubernetesObjectApi.makeApiClient(kc),
      core: kc.makeApiClient(CoreV1Api),
      custom: kc.makeApiClient(CustomObjectsApi),
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

function parseEndpoint(
  raw: string,
  what: string,
  allowInsecureHttp: boolean,
): TencentAccount['endpoint'] {
  const url = validateApiUrl(
    raw.includes('://') ? raw : `https://${raw}`,
    what,
    allowInsecureHttp,
  );
  if (url.pathname !== '/') {
    throw new InputError(`${what}: a path is not allowed ("${url.pathname}")`);
  }
  return {
    host: url.host,
    protocol: url.protocol === 'http:' ? 'http://' : 'https://',
  };
}
