import { createHash } from 'node:crypto';
import {
  AtlasModel,
  DEFAULT_PRICES,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyzeGroup, unusedResources } from './analyze';
import { CompactModel, CompressedList, compactModel } from './CompressedList';
import { MODEL_LIST_ORDER, ModelList, mergeSorted } from './order';
import { classifyEntries } from './classify/classifyEntries';
import { CloudIndex } from './cloud/CloudIndex';
import { detectControlPlanes } from './controlPlanes/detectControlPlanes';
import { detectGateways } from './gateways/detectGateways';
import { ClusterObjects } from './kube/ClusterObjects';
import {
  withIstioConfigOf,
  withoutIstioConfig,
} from './kube/istioConfigClusters';
import { AnalyzeInput } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A cluster to analyse: `key` changes whenever its inventory or state does. */
export interface IncrementalCluster {
  name: string;
  key: string;
  /** Its inventory, read only when the cluster is analysed again. */
  inventory(): ClusterInventory;
  /** The cluster holding its Istio configuration (its descriptor's `istioConfigCluster`). */
  istioConfigCluster?: string;
}

/**
 * The clusters as the engine analyses them: a data-plane cluster with the Istio configuration
 * its config cluster holds (and a key that changes with either), the config cluster without it.
 */
function withIstioConfigClusters(
  clusters: IncrementalCluster[],
): IncrementalCluster[] {
  const byName = new Map(clusters.map(c => [c.name, c]));
  const configs = new Set(
    clusters.flatMap(c =>
      c.istioConfigCluster && byName.has(c.istioConfigCluster)
        ? [c.istioConfigCluster]
        : [],
    ),
  );
  return clusters.map(cluster => {
    const config = cluster.istioConfigCluster
      ? byName.get(cluster.istioConfigCluster)
      : undefined;
    if (config) {
      return {
        ...cluster,
        key: `${cluster.key}+${config.key}`,
        inventory: () =>
          withIstioConfigOf(cluster.inventory(), config.inventory()),
      };
    }
    return configs.has(cluster.name)
      ? { ...cluster, inventory: () => withoutIstioConfig(cluster.inventory()) }
      : cluster;
  });
}

export type IncrementalInput = Omit<AnalyzeInput, 'clusters' | 'now'> & {
  clusters: IncrementalCluster[];
  now: Date;
};

/** What the last `analyze` did: a user reads it in the logs ("1 of 20 clusters analysed"). */
export interface IncrementalRun {
  clusters: number;
  analysedClusters: string[];
  groups: number;
  analysedGroups: number;
}

interface CachedGroup {
  model: CompactModel;
  /** Until then, no certificate's days to expiry has changed. */
  validUntil: number;
}

/**
 * What couples a cluster's analysis to other clusters', as keys: two clusters sharing a key
 * are analysed together. A control plane's remote secrets name clusters (by atlas name,
 * cloud cluster id or Istio cluster name); a remote finds its primary by the address it
 * reaches istiod at, or by mesh id; control planes of one mesh compare root CAs; a cloud
 * resource is costed once, on the first entry using it; a mesh measurement naming a gateway
 * workload found in several clusters counts for none.
 */
interface Couplings {
  keys: string[];
  cloudClusterId?: string;
  /** Addresses of the cluster's entries, coupling it to a remote that reaches istiod there. */
  addresses: string[];
  /** Addresses remote control planes of the cluster reach istiod at. */
  pilotAddresses: string[];
}

function couplingsOf(
  objects: ClusterObjects,
  cloud: CloudIndex,
  now: Date,
  measuredWorkloads: Set<string>,
): Couplings {
  const { cluster } = objects.inventory;
  const planes = detectControlPlanes(objects, cloud);
  const gateways = detectGateways(objects, planes, now);
  const entries = classifyEntries(objects, cloud, gateways);
  const keys = [
    `cluster:${cluster.name}`,
    ...(cluster.cloudClusterId ? [`cluster:${cluster.cloudClusterId}`] : []),
    ...planes.flatMap(p => [
      ...(p.clusterName ? [`cluster:${p.clusterName}`] : []),
      ...p.remoteSecretLinks.map(link => `cluster:${link}`),
      ...(p.meshId ? [`mesh:${p.meshId}`] : []),
    ]),
    ...entries.flatMap(e => [
      ...e.resources.map(r => `resource:${r.id}`),
      ...(e.cloudResourceId ? [`resource:${e.cloudResourceId}`] : []),
    ]),
    ...gateways
      .all()
      .flatMap(g =>
        g.workload &&
        measuredWorkloads.has(`${g.workload.namespace}/${g.workload.name}`)
          ? [`workload:${g.workload.namespace}/${g.workload.name}`]
          : [],
      ),
  ];
  return {
    keys,
    cloudClusterId: cluster.cloudClusterId,
    addresses: entries.flatMap(e => e.addresses),
    pilotAddresses: planes.flatMap(p =>
      p.role === 'remote' && p.remotePilotAddress ? [p.remotePilotAddress] : [],
    ),
  };
}

/** The first moment a certificate of these inventories is a day closer to expiry than at `now`. */
function validUntil(inventories: ClusterInventory[], now: Date): number {
  let until = Infinity;
  for (const inventory of inventories) {
    for (const { notAfter } of inventory.certificates) {
      const expiry = notAfter ? Date.parse(notAfter) : NaN;
      if (Number.isNaN(expiry)) continue;
      const days = Math.floor((expiry - now.getTime()) / DAY_MS);
      until = Math.min(until, expiry - days * DAY_MS);
    }
  }
  return until;
}

function hash(value: unknown): string {
  return createHash('sha1')
    .update(JSON.stringify(value ?? null))
    .digest('hex');
}

/** What all clusters' analyses read: a change in it analyses every cluster again. */
function estateKeyOf(input: IncrementalInput): string {
  return hash([
    input.clouds ?? [],
    input.prices,
    input.entities,
    input.gatewayTraffic,
    input.trafficGbPerMonth,
  ]);
}

/** A cluster's inventory and its state (stale, error) as of its last refresh. */
function clusterKeyOf(
  cluster: IncrementalCluster,
  input: IncrementalInput,
): string {
  return `${cluster.key}:${hash(input.clusterStates?.[cluster.name] ?? null)}`;
}

/**
 * The exposure engine kept warm between runs: the model `analyze` gives, where a change in a
 * cluster re-analyses only that cluster and the clusters coupled to it (see `Couplings`) and
 * re-uses the rest from the previous run. Clouds, prices, catalog entities and mesh traffic
 * are the estate's: when one of them changes, every cluster is analysed again. It keeps, and
 * gives, the model with its paths and routes compressed (see `CompactModel`).
 */
export class IncrementalAnalysis {
  #estateKey?: string;
  readonly #couplings = new Map<
    string,
    { key: string; couplings: Couplings }
  >();
  readonly #groups = new Map<string, CachedGroup>();
  #lastRun?: IncrementalRun;

  get lastRun(): IncrementalRun | undefined {
    return this.#lastRun;
  }

  /**
   * How many clusters `analyze(input)` would analyse again, at least: those whose inventory or
   * state changed since the last run (all of them when the estate's inputs changed), before
   * the clusters coupled to them are counted in.
   */
  toAnalyse(given: IncrementalInput): number {
    const input = {
      ...given,
      clusters: withIstioConfigClusters(given.clusters),
    };
    if (estateKeyOf(input) !== this.#estateKey) return input.clusters.length;
    return input.clusters.filter(
      c => this.#couplings.get(c.name)?.key !== clusterKeyOf(c, input),
    ).length;
  }

  analyze(given: IncrementalInput): CompactModel {
    const input = {
      ...given,
      clusters: withIstioConfigClusters(given.clusters),
    };
    const { now } = input;
    const clouds = input.clouds ?? [];
    const estateKey = estateKeyOf(input);
    if (estateKey !== this.#estateKey) {
      this.#estateKey = estateKey;
      this.#couplings.clear();
      this.#groups.clear();
    }
    const keyOf = (cluster: IncrementalCluster) => clusterKeyOf(cluster, input);

    // Each cluster's inventory, read at most once per run.
    const read = new Map<string, ClusterInventory>();
    const inventoryOf = (cluster: IncrementalCluster) => {
      let inventory = read.get(cluster.name);
      if (!inventory) {
        inventory = cluster.inventory();
        read.set(cluster.name, inventory);
      }
      return inventory;
    };

    const cloud = new CloudIndex(clouds);
    const measuredWorkloads = new Set(
      (input.gatewayTraffic ?? []).map(t => `${t.namespace}/${t.workload}`),
    );
    for (const cluster of input.clusters) {
      const key = keyOf(cluster);
      if (this.#couplings.get(cluster.name)?.key === key) continue;
      let couplings: Couplings;
      try {
        couplings = couplingsOf(
          new ClusterObjects(inventoryOf(cluster)),
          cloud,
          now,
          measuredWorkloads,
        );
      } catch {
        // Objects the engine cannot read: the cluster is analysed alone, and its analysis
        // says what failed.
        couplings = {
          keys: [`cluster:${cluster.name}`],
          addresses: [],
          pilotAddresses: [],
        };
      }
      this.#couplings.set(cluster.name, { key, couplings });
    }
    const known = new Set(input.clusters.map(c => c.name));
    for (const name of this.#couplings.keys()) {
      if (!known.has(name)) this.#couplings.delete(name);
    }

    const groups = this.#group(input.clusters);
    const models: CompactModel[] = [];
    const analysedGroups = new Map<string, CachedGroup>();
    const analysedClusters: string[] = [];
    let analysed = 0;
    for (const members of groups) {
      const groupKey = members.map(keyOf).join('\n');
      let cached = this.#groups.get(groupKey);
      if (!cached || now.getTime() > cached.validUntil) {
        const inventories = members.map(inventoryOf);
        cached = {
          model: compactModel(
            analyzeGroup({ ...input, clusters: inventories }),
          ),
          validUntil: validUntil(inventories, now),
        };
        analysedClusters.push(...members.map(m => m.name));
        analysed += 1;
      }
      analysedGroups.set(groupKey, cached);
      models.push(cached.model);
    }
    this.#groups.clear();
    for (const [key, group] of analysedGroups) this.#groups.set(key, group);

    const entries = models.flatMap(m => m.entries);
    const byCloudId = new Map(
      input.clusters.flatMap(c => {
        const id = this.#couplings.get(c.name)!.couplings.cloudClusterId;
        return id ? [[id, c]] : [];
      }),
    );
    const owners = new Map<string, ClusterObjects>();
    const unused = unusedResources({
      entries,
      clouds,
      prices: input.prices ?? DEFAULT_PRICES,
      // Read only for the load balancers no entry uses.
      clusterOf: cloudClusterId => {
        const cluster = byCloudId.get(cloudClusterId);
        if (!cluster) return undefined;
        let objects = owners.get(cluster.name);
        if (!objects) {
          objects = new ClusterObjects(inventoryOf(cluster));
          owners.set(cluster.name, objects);
        }
        return objects;
      },
      now,
    });
    this.#lastRun = {
      clusters: input.clusters.length,
      analysedClusters,
      groups: groups.length,
      analysedGroups: analysed,
    };

    // Each group's lists are in the engine's order already.
    const merged = <K extends Exclude<ModelList, 'paths' | 'routes'>>(
      field: K,
      more: AtlasModel[K] = [],
    ) =>
      mergeSorted(
        [
          ...models.map(m => m[field] as unknown[]),
          [...(more as unknown[])].sort(MODEL_LIST_ORDER[field]),
        ],
        MODEL_LIST_ORDER[field],
      );
    return {
      generatedAt: now.toISOString(),
      clusters: merged('clusters'),
      controlPlanes: merged('controlPlanes'),
      gateways: merged('gateways'),
      entries: merged('entries'),
      routes: CompressedList.merge(models.map(m => m.routes)),
      paths: CompressedList.merge(models.map(m => m.paths)),
      costs: merged('costs', unused.costs),
      recommendations: merged('recommendations'),
      findings: merged('findings', unused.findings),
    } as CompactModel;
  }

  /** The clusters in groups of coupled ones, each in the order given. */
  #group(clusters: IncrementalCluster[]): IncrementalCluster[][] {
    const parent = clusters.map((_, i) => i);
    const root = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    const couplings = clusters.map(c => this.#couplings.get(c.name)!.couplings);
    const pilotAddresses = new Set(couplings.flatMap(c => c.pilotAddresses));
    const owner = new Map<string, number>();
    couplings.forEach((c, i) => {
      const keys = [
        ...c.keys,
        ...c.pilotAddresses.map(a => `address:${a}`),
        ...c.addresses
          .filter(a => pilotAddresses.has(a))
          .map(a => `address:${a}`),
      ];
      for (const key of keys) {
        const first = owner.get(key);
        if (first === undefined) owner.set(key, i);
        else parent[root(i)] = root(first);
      }
    });
    const groups = new Map<number, IncrementalCluster[]>();
    clusters.forEach((cluster, i) => {
      const r = root(i);
      groups.set(r, [...(groups.get(r) ?? []), cluster]);
    });
    return [...groups.values()];
  }
}
