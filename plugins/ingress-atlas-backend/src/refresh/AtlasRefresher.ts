import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterConnection,
  ClusterInventory,
  IngressAtlasCloudProvider,
  IngressAtlasClusterSource,
  mapWithConcurrency,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { ClusterWatches } from '../collection/ClusterWatcher';
import { CollectionRunner } from '../collection/CollectionRunner';
import {
  WatchedInventory,
  compressInventory,
} from '../inventory/compressedInventory';
import { SnapshotStore, SourceError } from '../snapshots/SnapshotStore';

export interface RefreshSummary {
  clusters: Array<{
    name: string;
    ok: boolean;
    requests: number;
    ms: number;
    error?: string;
    /** Not read: watched from where its stored watches got. */
    resumed?: true;
  }>;
  cloud: Array<{ provider: string; errors: number; error?: string }>;
  sourceErrors: SourceError[];
}

/**
 * Reads every cluster (bounded concurrency, a time limit each) and every cloud account,
 * and stores each outcome. A failing cluster only marks its own snapshot stale.
 */
export class AtlasRefresher {
  static create(options: {
    logger: LoggerService;
    store: SnapshotStore;
    sources: IngressAtlasClusterSource[];
    cloudProviders: IngressAtlasCloudProvider[];
    /**
     * Sources of less trusted data (the catalog), read after every other source and cloud
     * provider: they never take the name of a configured or discovered cluster.
     */
    lastSources?: IngressAtlasClusterSource[];
    concurrency: number;
    kindConcurrency: number;
    clusterTimeoutMs: number;
    readManifests: (connection: ClusterConnection) => Promise<ClusterInventory>;
    /** Watches each live cluster after its kinds are listed, when this replica may watch. */
    watches?: ClusterWatches;
  }) {
    return new AtlasRefresher(options);
  }

  private readonly collector: CollectionRunner;
  #stopped = false;

  private constructor(
    private readonly options: Parameters<typeof AtlasRefresher.create>[0],
  ) {
    this.collector = CollectionRunner.create({ logger: options.logger });
  }

  /** When the backend shuts down: ends the worker that reads clusters, and reads no more. */
  async stop() {
    this.#stopped = true;
    await this.collector.stop();
  }

  /**
   * `onCluster` hears of each cluster as soon as its outcome is stored, with how many of the
   * refresh's clusters are still being read. With `resumeWatches` (this replica has just taken
   * the watches over), a live cluster whose fresh snapshot holds where its watches got is not
   * read but watched on from there.
   */
  async refresh(
    options: {
      onCluster?: (
        result: RefreshSummary['clusters'][number],
        pending: number,
      ) => void;
      resumeWatches?: boolean;
    } = {},
  ): Promise<RefreshSummary> {
    const { store, watches } = this.options;
    const sourceErrors: RefreshSummary['sourceErrors'] = [];
    const connections = await this.listConnections(sourceErrors);
    const watched =
      watches && options.resumeWatches
        ? await store.listWatchedClusters()
        : undefined;

    let pending = connections.length;
    const clusters = await mapWithConcurrency(
      connections,
      this.options.concurrency,
      async connection => {
        const stored = watched?.get(connection.descriptor.name);
        // The versions of another API server (the cluster's URL changed) mean nothing here.
        const result =
          stored &&
          !connection.manifestPaths &&
          stored.cluster.url === connection.descriptor.url
            ? await this.resumeWatches(connection, stored)
            : await this.refreshCluster(connection);
        pending -= 1;
        options.onCluster?.(result, pending);
        return result;
      },
    ).finally(() => this.collector.stop());
    // A source that failed to answer must not make its clusters disappear.
    if (sourceErrors.length === 0) {
      const names = connections.map(c => c.descriptor.name);
      await this.options.watches?.retain(names);
      await store.retainClusters(names);
    }

    return { clusters, cloud: await this.refreshCloud(), sourceErrors };
  }

  /** Reads every cloud provider's inventory again and stores it. */
  async refreshCloud(): Promise<RefreshSummary['cloud']> {
    const { logger, store } = this.options;
    const cloud: RefreshSummary['cloud'] = [];
    for (const provider of this.options.cloudProviders) {
      try {
        const inventories = await provider.collectInventory();
        await store.saveCloud(inventories);
        cloud.push({
          provider: provider.id,
          errors: inventories.reduce((n, i) => n + i.errors.length, 0),
        });
      } catch (error) {
        const message = (error as Error).message;
        logger.warn('Cloud inventory failed', {
          provider: provider.id,
          error: message,
        });
        cloud.push({ provider: provider.id, errors: 1, error: message });
      }
    }
    return cloud;
  }

  private async listConnections(sourceErrors: RefreshSummary['sourceErrors']) {
    const byName = new Map<string, ClusterConnection>();
    const sources: Array<{
      id: string;
      listClusters?(): Promise<ClusterConnection[]>;
    }> = [
      ...this.options.sources,
      ...this.options.cloudProviders,
      ...(this.options.lastSources ?? []),
    ];
    for (const source of sources) {
      if (!source.listClusters) continue;
      try {
        for (const connection of await source.listClusters()) {
          // The first source to name a cluster wins: config, then discovery, then the catalog.
          const known = byName.get(connection.descriptor.name);
          if (!known) {
            byName.set(connection.descriptor.name, connection);
          } else if (known.descriptor.url !== connection.descriptor.url) {
            this.options.logger.warn('Ignoring a cluster whose name is taken', {
              cluster: connection.descriptor.name,
              source: source.id,
              keptFrom: known.descriptor.source,
            });
          }
        }
      } catch (error) {
        const message = (error as Error).message;
        this.options.logger.warn('Cluster source failed', {
          source: source.id,
          error: message,
        });
        sourceErrors.push({ source: source.id, error: message });
      }
    }
    return [...byName.values()];
  }

  private async resumeWatches(
    connection: ClusterConnection,
    stored: WatchedInventory,
  ): Promise<RefreshSummary['clusters'][number]> {
    const started = Date.now();
    await this.options.watches!.watch(connection, stored);
    return {
      name: connection.descriptor.name,
      ok: true,
      requests: 0,
      ms: Date.now() - started,
      resumed: true,
    };
  }

  private async refreshCluster(connection: ClusterConnection) {
    const { logger, store } = this.options;
    const name = connection.descriptor.name;
    const started = Date.now();
    const attemptedAt = new Date(started).toISOString();
    try {
      let requests = 0;
      let inventory;
      if (this.#stopped) {
        throw new Error('the backend is shutting down');
      } else if (connection.manifestPaths) {
        inventory = await compressInventory(
          await this.options.readManifests(connection),
        );
      } else {
        ({ inventory, requests } = await this.collector.collect(connection, {
          timeoutMs: this.options.clusterTimeoutMs,
          kindConcurrency: this.options.kindConcurrency,
        }));
      }
      // The cluster's watches would otherwise store changes on top of this newer list.
      await this.options.watches?.pause(name);
      await store.saveClusterSuccess(inventory, attemptedAt);
      if (!connection.manifestPaths)
        await this.options.watches?.watch(connection, inventory);
      const ms = Date.now() - started;
      logger.info('Refreshed cluster', {
        cluster: name,
        requests,
        ms,
        unavailable: inventory.unavailable.join(',') || undefined,
      });
      return { name, ok: true, requests, ms };
    } catch (error) {
      const message = (error as Error).message;
      await store.saveClusterFailure(
        connection.descriptor,
        message,
        attemptedAt,
      );
      logger.warn('Cluster refresh failed; keeping its last snapshot', {
        cluster: name,
        error: message,
      });
      return {
        name,
        ok: false,
        requests: 0,
        ms: Date.now() - started,
        error: message,
      };
    }
  }
}
