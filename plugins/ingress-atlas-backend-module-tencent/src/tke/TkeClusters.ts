import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type ClusterDescriptor,
  type KubeconfigAccess,
  describeTencentError,
  type TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { parse } from 'yaml';
import { TencentReader } from '../client/TencentReader';

export interface TkeCluster {
  descriptor: ClusterDescriptor;
  /** Credentials to the cluster: kept in memory, never logged, stored or served. */
  kubeconfig?: string;
}

/**
 * The API server of a kubeconfig's current context (not secret). A parse error quotes the
 * lines around it, tokens included, so it is turned into one that quotes nothing.
 */
function serverOf(kubeconfig: string): string | undefined {
  let doc: any;
  try {
    doc = parse(kubeconfig) ?? {};
  } catch {
    throw new Error(
      'DescribeClusterKubeconfig returned a kubeconfig that is not YAML',
    );
  }
  const context = doc.contexts?.find(
    (c: any) => c.name === doc['current-context'],
  )?.context;
  const cluster =
    doc.clusters?.find((c: any) => c.name === context?.cluster) ??
    doc.clusters?.[0];
  return typeof cluster?.cluster?.server === 'string'
    ? cluster.cluster.server
    : undefined;
}

interface TkeClustersOptions {
  clients: TencentClients;
  logger: LoggerService;
  kubeconfigAccess: KubeconfigAccess;
}

/** Lists the TKE clusters of a region with their VPC-CNI state and, if asked, a kubeconfig. */
export class TkeClusters extends TencentReader {
  readonly #logger: LoggerService;
  readonly #kubeconfigAccess: KubeconfigAccess;

  static create(options: TkeClustersOptions) {
    return new TkeClusters(options);
  }

  private constructor(options: TkeClustersOptions) {
    super(options.clients);
    this.#logger = options.logger;
    this.#kubeconfigAccess = options.kubeconfigAccess;
  }

  /** Clusters of a region; `kubeconfigs: false` reads only their facts (no credentials). */
  async list(
    region: string,
    options: { kubeconfigs?: boolean } = {},
  ): Promise<TkeCluster[]> {
    const clusters = await this.describeAll(
      region,
      'DescribeClusters',
      page => this.clients.tke(region).DescribeClusters(page),
      response => ({ items: response.Clusters, total: response.TotalCount }),
    );

    const result: TkeCluster[] = [];
    for (const cluster of clusters) {
      const access =
        options.kubeconfigs === false
          ? undefined
          : await this.#kubeconfig(region, cluster.ClusterId!);
      result.push({
        descriptor: {
          name: cluster.ClusterName || cluster.ClusterId!,
          title: cluster.ClusterName,
          source: 'tencent',
          provider: 'tencent',
          region,
          cloudClusterId: cluster.ClusterId,
          url: access?.server,
          facts: {
            vpcCni: await this.#vpcCni(region, cluster.ClusterId!),
            vpcId: cluster.ClusterNetworkSettings?.VpcId,
          },
        },
        kubeconfig: access?.kubeconfig,
      });
    }
    return result;
  }

  /** Unknown (undefined) when DescribeIPAMD fails: the engine must not assume either way. */
  async #vpcCni(
    region: string,
    ClusterId: string,
  ): Promise<boolean | undefined> {
    try {
      const ipamd = await this.clients.call(
        { action: 'DescribeIPAMD', region },
        () => this.clients.tke(region).DescribeIPAMD({ ClusterId }),
      );
      return ipamd.EnableIPAMD === true && ipamd.DisableVpcCniMode !== true;
    } catch (error) {
      this.#logger.debug(
        'Could not read the VPC-CNI state of a TKE cluster',
        this.#failure(region, ClusterId, error),
      );
      return undefined;
    }
  }

  /**
   * Without a kubeconfig the cluster is still listed: the refresh then records it as failed
   * and keeps its last snapshot, instead of forgetting it.
   */
  async #kubeconfig(
    region: string,
    ClusterId: string,
  ): Promise<{ kubeconfig: string; server?: string } | undefined> {
    if (this.#kubeconfigAccess === 'none') {
      return undefined;
    }
    try {
      const { Kubeconfig } = await this.clients.call(
        { action: 'DescribeClusterKubeconfig', region },
        () =>
          this.clients.tke(region).DescribeClusterKubeconfig({
            ClusterId,
            IsExtranet: this.#kubeconfigAccess === 'extranet',
          }),
      );
      if (!Kubeconfig) {
        return undefined;
      }
      return { kubeconfig: Kubeconfig, server: serverOf(Kubeconfig) };
    } catch (error) {
      this.#logger.warn(
        'Could not get the kubeconfig of a TKE cluster',
        this.#failure(region, ClusterId, error),
      );
      return undefined;
    }
  }

  /** What a failed call about one cluster is logged with. */
  #failure(region: string, ClusterId: string, error: unknown) {
    return {
      account: this.clients.account,
      region,
      cluster: ClusterId,
      error: describeTencentError(error),
    };
  }
}
