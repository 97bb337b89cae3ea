import { stringify } from 'yaml';
import { orNotFound } from '../errors';
import type { SeedCluster } from '../state';
import {
  ActionContext,
  ActionHandler,
  applyFilters,
  page,
  withoutKeys,
} from './types';

function findCluster({ state, region, params }: ActionContext): SeedCluster {
  return orNotFound(
    state.region(region).Clusters.find(c => c.ClusterId === params.ClusterId),
    'InvalidParameter.ClusterNotFound',
    `Cluster ${params.ClusterId} not found.`,
  );
}

const DescribeClusters: ActionHandler = ({ state, region, params }) => {
  const { Clusters } = state.region(region);
  const matching = applyFilters(
    Clusters.filter(
      c =>
        (!params.ClusterIds || params.ClusterIds.includes(c.ClusterId)) &&
        (!params.ClusterType || params.ClusterType === c.ClusterType),
    ),
    params.Filters,
    {
      ClusterName: c => c.ClusterName,
      ClusterType: c => c.ClusterType,
      ClusterStatus: c => c.ClusterStatus,
      'vpc-id': c => c.ClusterNetworkSettings?.VpcId,
      'tag-key': c =>
        (c.TagSpecification ?? []).flatMap((s: any) =>
          s.Tags.map((t: any) => t.Key),
        ),
    },
  );
  return {
    TotalCount: matching.length,
    Clusters: page(matching, params, { defaultLimit: 20, maxLimit: 100 }).map(
      c => withoutKeys(c, ['IPAMD', 'Sandbox']),
    ),
  };
};

const DescribeClusterEndpoints: ActionHandler = ctx => {
  const cluster = findCluster(ctx);
  const server = new URL(cluster.Sandbox.ApiServer);
  return {
    ClusterExternalEndpoint: server.host,
    ClusterIntranetEndpoint: server.host,
    ClusterDomain: `${cluster.ClusterId}.ccs.tencent-cloud.com`,
    ClusterExternalACL: [],
    CertificationAuthority: '',
  };
};

/** In the sandbox both the intranet and the extranet kubeconfig reach the local stand-in. */
const DescribeClusterKubeconfig: ActionHandler = ctx => {
  const cluster = findCluster(ctx);
  const context = `${cluster.ClusterId}-context-default`;
  return {
    Kubeconfig: stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: cluster.ClusterId,
          cluster: { server: cluster.Sandbox.ApiServer },
        },
      ],
      users: [{ name: 'admin', user: { token: cluster.Sandbox.Token } }],
      contexts: [
        {
          name: context,
          context: { cluster: cluster.ClusterId, user: 'admin' },
        },
      ],
      'current-context': context,
    }),
  };
};

const DescribeIPAMD: ActionHandler = ctx => findCluster(ctx).IPAMD;

export const tkeActions: Record<string, ActionHandler> = {
  DescribeClusters,
  DescribeClusterEndpoints,
  DescribeClusterKubeconfig,
  DescribeIPAMD,
};
