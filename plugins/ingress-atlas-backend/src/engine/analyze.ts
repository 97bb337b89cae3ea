import {
  AtlasCluster,
  AtlasModel,
  CloudProvider,
  Cost,
  DEFAULT_PRICES,
  Entry,
  Finding,
  PriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { runAnalyzers } from './analyzers';
import { MODEL_LIST_ORDER } from './order';
import { idleResources } from './analyzers/idleResources';
import { classifyEntries } from './classify/classifyEntries';
import { CloudIndex } from './cloud/CloudIndex';
import { detectControlPlanes } from './controlPlanes/detectControlPlanes';
import { linkControlPlanes } from './controlPlanes/linkControlPlanes';
import { ClusterOf, inUseCosts, unusedCosts } from './cost/costs';
import { recommendPodEips } from './cost/recommendations';
import { resolveTraffic } from './cost/traffic';
import { detectGateways } from './gateways/detectGateways';
import { GatewaySet } from './gateways/GatewaySet';
import { ClusterObjects } from './kube/ClusterObjects';
import { withIstioConfigClusters } from './kube/istioConfigClusters';
import { detectVpcCni } from './kube/clusterFacts';
import { buildPaths } from './paths/buildPaths';
import { buildRoutes } from './routes/buildRoutes';
import { AnalyzeInput, EngineContext } from './types';

function resolveNow(input: AnalyzeInput): Date {
  if (input.now) return new Date(input.now);
  const times = [...input.clusters, ...(input.clouds ?? [])]
    .map(i => Date.parse(i.collectedAt))
    .filter(t => !Number.isNaN(t));
  return new Date(times.length ? Math.max(...times) : 0);
}

/** What a person reads when a cluster's objects stopped the analysis. */
function analysisFailure(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `The atlas could not analyse this cluster's objects, so nothing from it is shown; an object it does not understand is the likely cause (internal error: ${detail}).`;
}

/**
 * The exposure engine: from cluster and cloud inventories to the exposure model. Pure: no IO,
 * no clock (time comes from `now` or the inputs), the same inputs give the same model.
 *
 * A cluster whose objects make the analysis fail is left out and marked with the failure, so
 * that one cluster never keeps the others from being analysed.
 *
 * @public
 */
export function analyze(input: AnalyzeInput): AtlasModel {
  return analyzeIsolating(
    { ...input, clusters: withIstioConfigClusters(input.clusters) },
    { unusedResources: true },
  );
}

/**
 * What `analyze` says of these clusters, but for the cloud resources no entry uses (see
 * `unusedResources`): what a group of clusters whose analyses depend on nothing outside it
 * contributes to the whole estate's model.
 */
export function analyzeGroup(input: AnalyzeInput): AtlasModel {
  return analyzeIsolating(input, { unusedResources: false });
}

/**
 * The estate-wide rest of the model: costs and findings of the cloud resources no entry of
 * any cluster uses. `entries` are all the estate's; `clusterOf` finds the cluster a load
 * balancer was made for.
 */
export function unusedResources(input: {
  entries: Entry[];
  clouds: CloudInventory[];
  prices?: PriceCatalogue;
  clusterOf: ClusterOf;
  now: Date;
}): { costs: Cost[]; findings: Finding[] } {
  const prices = input.prices ?? DEFAULT_PRICES;
  const cloud = new CloudIndex(input.clouds);
  const costs = unusedCosts({ ...input, cloud, prices });
  const findings = runAnalyzers(
    {
      now: input.now,
      prices,
      clusters: [],
      cloud,
      entities: [],
      model: {
        clusters: [],
        controlPlanes: [],
        gateways: [],
        entries: input.entries,
        routes: [],
        paths: [],
        costs,
        recommendations: [],
      },
      gatewaySets: new Map(),
    },
    [idleResources],
  );
  return { costs, findings };
}

function analyzeIsolating(
  input: AnalyzeInput,
  options: { unusedResources: boolean },
): AtlasModel {
  try {
    return analyzeClusters(input, new Map(), options);
  } catch (error) {
    const failed = new Map<string, string>();
    for (const inventory of input.clusters) {
      try {
        analyzeClusters(
          { ...input, clusters: [inventory] },
          new Map(),
          options,
        );
      } catch (alone) {
        failed.set(inventory.cluster.name, analysisFailure(alone));
      }
    }
    // No cluster fails alone: the failure is in what they share, which no cluster can be blamed for.
    if (failed.size === 0) throw error;
    return analyzeClusters(
      {
        ...input,
        clusters: input.clusters.filter(i => !failed.has(i.cluster.name)),
      },
      new Map(
        input.clusters
          .filter(i => failed.has(i.cluster.name))
          .map(i => [i, failed.get(i.cluster.name)!]),
      ),
      options,
    );
  }
}

function analyzeClusters(
  input: AnalyzeInput,
  failed: Map<ClusterInventory, string>,
  options: { unusedResources: boolean },
): AtlasModel {
  const context: EngineContext = {
    now: resolveNow(input),
    prices: input.prices ?? DEFAULT_PRICES,
    clusters: input.clusters.map(inventory => new ClusterObjects(inventory)),
    cloud: new CloudIndex(input.clouds ?? []),
    entities: input.entities ?? [],
  };
  const { now, prices, clusters, cloud } = context;

  const atlasClusters: AtlasCluster[] = clusters.map(objects => {
    const { cluster, collectedAt, unavailable } = objects.inventory;
    const state = input.clusterStates?.[cluster.name];
    return {
      ...cluster,
      provider: cluster.provider as CloudProvider,
      status: state?.status ?? 'ok',
      collectedAt,
      error: state?.error,
      unavailableKinds: Object.entries(unavailable).map(([kind, reason]) => ({
        kind,
        reason: reason ?? '',
      })),
      vpcCni: detectVpcCni(objects),
    };
  });
  for (const [{ cluster, collectedAt }, analysisError] of failed) {
    const state = input.clusterStates?.[cluster.name];
    atlasClusters.push({
      ...cluster,
      provider: cluster.provider as CloudProvider,
      status: 'error',
      collectedAt,
      error: state?.error,
      analysisError,
      unavailableKinds: [],
    });
  }

  const gatewaySets = new Map<string, GatewaySet>();
  const controlPlanes = [];
  const entries = [];
  const routes = [];
  for (const objects of clusters) {
    const planes = detectControlPlanes(objects, cloud);
    const set = detectGateways(objects, planes, now);
    gatewaySets.set(objects.name, set);
    controlPlanes.push(...planes);
    entries.push(...classifyEntries(objects, cloud, set));
    routes.push(...buildRoutes(objects, set, now));
  }
  const gateways = [...gatewaySets.values()].flatMap(set => set.all());
  linkControlPlanes(controlPlanes, clusters, entries);

  const clusterOf: ClusterOf = cloudClusterId =>
    clusters.find(c => c.inventory.cluster.cloudClusterId === cloudClusterId);
  const costs = inUseCosts({
    entries,
    prices,
    traffic: resolveTraffic({
      entries,
      gateways,
      clusters: atlasClusters,
      cloud,
      given: input.trafficGbPerMonth,
      gatewayTraffic: input.gatewayTraffic,
    }),
  });
  if (options.unusedResources) {
    costs.push(...unusedCosts({ entries, cloud, clusterOf, prices }));
  }
  const paths = buildPaths({
    clusters,
    controlPlanes,
    gateways,
    routes,
    entries,
    costs,
    entities: context.entities,
  });
  const recommendations = recommendPodEips({
    entries,
    gateways,
    clusters: atlasClusters,
    costs,
    prices,
    paths,
    cloud,
  });

  const model = {
    clusters: atlasClusters.sort(MODEL_LIST_ORDER.clusters),
    controlPlanes: controlPlanes.sort(MODEL_LIST_ORDER.controlPlanes),
    gateways: gateways.sort(MODEL_LIST_ORDER.gateways),
    entries: entries.sort(MODEL_LIST_ORDER.entries),
    routes: routes.sort(MODEL_LIST_ORDER.routes),
    paths: paths.sort(MODEL_LIST_ORDER.paths),
    costs: costs.sort(MODEL_LIST_ORDER.costs),
    recommendations: recommendations.sort(MODEL_LIST_ORDER.recommendations),
  };
  const findings = runAnalyzers({ ...context, model, gatewaySets });
  return { generatedAt: now.toISOString(), ...model, findings };
}
