import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_PRICES,
  PriceCatalogue,
  PriceOverrides,
  mergePriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  IngressAtlasChanges,
  IngressAtlasCloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { randomUUID } from 'node:crypto';
import { ClusterWatches } from '../collection/ClusterWatcher';
import { CostHistoryStore } from '../costHistory/CostHistoryStore';
import { AnalysisRunner } from '../analysis/AnalysisRunner';
import { HeapMiB, heapMiB } from '../analysis/analysisJob';
import type { GatewayTraffic } from '../engine';
import { PrometheusTraffic } from '../traffic/PrometheusTraffic';
import { AtlasModelService } from '../views/AtlasModelService';
import { readCatalogEntities } from '../analysis/readCatalogEntities';
import { SnapshotStore, SourceError } from '../snapshots/SnapshotStore';
import { AtlasRefresher } from './AtlasRefresher';
import { Leases } from './Leases';

const LEASE = 'refresh';
/** Held by the replica whose watches keep the snapshots current, for as long as it watches. */
const WATCH_LEASE = 'watch';
/** How long after a lease would run out a standby replica checks it. */
const LEASE_CHECK_MARGIN_MS = 50;

/** What a refresh did, for the log and for tests. */
export type RefreshOutcome =
  | { ran: false; reason: string }
  | { ran: true; publications: number };

/**
 * One refresh of the atlas: read every cluster and cloud account, analyse the stored
 * snapshots and publish the model.
 *
 * - One replica at a time refreshes, under a lease in the database that it renews while it
 *   works. A replica that finds the lease held waits: when the holder releases it, that
 *   refresh has just published and this one is skipped; when it runs out, its holder died
 *   (a crash mid-refresh) and this replica takes over at once, after at most the lease's
 *   time to live, not the scheduler's task timeout.
 * - A slow cluster does not hold back the others: when clusters are still being read
 *   `publishEarlyAfterMs` after the start and some have been read since, the model is
 *   analysed and published from what is stored (fresh data for those read, the last
 *   snapshot of the others), again whenever more clusters were read while others are still
 *   being read, and once more when the refresh ends.
 * - With `watches`, the replica that refreshes also takes the watch lease and keeps it (and
 *   the clusters' watches) between refreshes; the watches store each change and
 *   {@link RefreshCycle.publishChanges} publishes it. The other replicas skip their refreshes
 *   while that lease is held and serve the stored model; when its holder stops renewing it,
 *   the next replica to refresh takes it over. That refresh lists no cluster whose fresh
 *   snapshot records where its watches got (each kind's last resourceVersion stored): it
 *   resumes their watches from there, so changes made meanwhile still arrive, and only a kind
 *   whose version has expired is listed again. The next scheduled refresh reads everything.
 */
export class RefreshCycle {
  static create(options: {
    logger: LoggerService;
    store: SnapshotStore;
    /** Each model published rewrites its day's cost there. */
    costHistory: CostHistoryStore;
    leases: Leases;
    refresher: AtlasRefresher;
    analysis: AnalysisRunner;
    models: AtlasModelService;
    cloudProviders: IngressAtlasCloudProvider[];
    prices: PriceOverrides;
    /** What the mesh's gateways sent, where Prometheus is configured. */
    meshTraffic?: PrometheusTraffic;
    catalog: CatalogService;
    auth: AuthService;
    leaseTtlMs?: number;
    publishEarlyAfterMs: number;
    watches?: ClusterWatches;
    /**
     * Who holds the leases: stable across restarts of one replica (see `replicaId`), so that
     * a restarted replica takes back at once the leases its dead process held. A random one
     * by default.
     */
    holder?: string;
  }) {
    return new RefreshCycle({ leaseTtlMs: 15_000, ...options });
  }

  readonly #holder: string;
  #watchRenewal?: NodeJS.Timeout;
  #standby?: NodeJS.Timeout;
  #running?: Promise<RefreshOutcome>;
  #publishing: Promise<unknown> = Promise.resolve();
  #changesWaiting = false;
  /** The prices of the last refresh: a watched change is published without asking price APIs. */
  #prices?: Promise<PriceCatalogue>;
  /** Likewise what the gateways sent, read once per refresh. */
  #gatewayTraffic?: Promise<GatewayTraffic[]>;

  private constructor(
    private readonly options: Parameters<typeof RefreshCycle.create>[0] & {
      leaseTtlMs: number;
    },
  ) {
    this.#holder = options.holder ?? randomUUID();
  }

  async run(): Promise<RefreshOutcome> {
    // The schedule and a standby's takeover may both start one.
    if (this.#running) {
      return { ran: false, reason: 'a refresh is running in this replica' };
    }
    this.#running = this.runOnce();
    try {
      return await this.#running;
    } finally {
      this.#running = undefined;
    }
  }

  private async runOnce(): Promise<RefreshOutcome> {
    const { leases, leaseTtlMs, logger, watches } = this.options;
    const watchedUntil = watches ? await this.watchedElsewhere() : undefined;
    if (watchedUntil !== undefined) {
      logger.info(
        'Another replica watches the clusters and refreshes them; skipping this refresh',
      );
      this.standBy(watchedUntil);
      return { ran: false, reason: 'another replica watches the clusters' };
    }
    if (!(await this.acquireOrWait())) {
      logger.info(
        'Another replica refreshed the atlas meanwhile; skipping this refresh',
      );
      return { ran: false, reason: 'refreshed by another replica' };
    }
    const renewal = setInterval(() => {
      leases.renew(LEASE, this.#holder, leaseTtlMs).then(
        held => {
          if (!held) logger.warn('Lost the refresh lease while refreshing');
        },
        error =>
          logger.warn('Renewing the refresh lease failed', {
            error: error.message,
          }),
      );
    }, leaseTtlMs / 3);
    try {
      return await this.refresh({ resumeWatches: await this.holdWatchLease() });
    } finally {
      clearInterval(renewal);
      await leases.release(LEASE, this.#holder);
    }
  }

  /**
   * After a watch stored a change: analyses and publishes again. One publication runs at a
   * time; changes stored while one runs are published together by the next.
   */
  publishChanges() {
    if (this.#changesWaiting) return;
    this.#changesWaiting = true;
    const started = Date.now();
    void this.publish(undefined, () => {
      this.#changesWaiting = false;
    }).then(
      model =>
        this.options.logger.info('Published the changes watched in clusters', {
          ...model,
          ms: Date.now() - started,
        }),
      error =>
        this.options.logger.warn(
          'Publishing the changes watched in clusters failed',
          {
            error: error.message,
          },
        ),
    );
  }

  /**
   * After a migration changed clusters or cloud resources (an event on
   * `INGRESS_ATLAS_CHANGES_TOPIC`): reads the cloud inventory again and publishes, the
   * clusters' own changes having come through the watches. Without watches, a full refresh.
   */
  async afterChanges(changes: IngressAtlasChanges): Promise<void> {
    const { logger, refresher, watches } = this.options;
    logger.info('A migration changed the estate; reading it again', {
      action: changes.action,
      clusters: changes.clusters.join(',') || undefined,
    });
    if (!watches) {
      await this.run();
      return;
    }
    await refresher.refreshCloud();
    this.publishChanges();
  }

  /** When the backend shuts down: ends the watches and gives up the watch lease. */
  async stop() {
    clearTimeout(this.#standby);
    this.#standby = undefined;
    clearInterval(this.#watchRenewal);
    this.#watchRenewal = undefined;
    await this.options.watches?.deactivate();
    await this.options.leases.release(WATCH_LEASE, this.#holder);
  }

  /** When another replica watches: when its lease runs out unless renewed (ms epoch). */
  private async watchedElsewhere(): Promise<number | undefined> {
    const state = await this.options.leases.state(WATCH_LEASE);
    return state &&
      state.holder !== this.#holder &&
      state.expiresAt > Date.now()
      ? state.expiresAt
      : undefined;
  }

  /**
   * While another replica watches, checks its lease a few times per lease period, and just
   * after it would run out: when its holder gives it up or dies, this replica refreshes and
   * watches at once (within the lease's time to live of the holder's last renewal), not at
   * its next scheduled refresh (an hour away).
   */
  private standBy(watchedUntil: number) {
    if (this.#standby) return;
    const { leaseTtlMs, logger } = this.options;
    // A few times per lease period, and just after the holder's lease would run out.
    const delayFor = (expiresAt: number) =>
      Math.max(
        LEASE_CHECK_MARGIN_MS,
        Math.min(
          leaseTtlMs / 3,
          expiresAt - Date.now() + LEASE_CHECK_MARGIN_MS,
        ),
      );
    const check = (delayMs: number) => {
      this.#standby = setTimeout(() => {
        this.watchedElsewhere().then(
          expiresAt => {
            if (!this.#standby) return;
            if (expiresAt !== undefined) {
              check(delayFor(expiresAt));
              return;
            }
            if (this.#running) {
              check(leaseTtlMs / 3);
              return;
            }
            this.#standby = undefined;
            logger.info(
              'The replica that watched the clusters stopped; taking over',
            );
            this.run().catch(error =>
              logger.warn('Taking over the watches failed', {
                error: error.message,
              }),
            );
          },
          error => {
            logger.warn('Checking the watch lease failed', {
              error: error.message,
            });
            if (this.#standby) check(leaseTtlMs / 3);
          },
        );
      }, delayMs);
      this.#standby.unref();
    };
    check(delayFor(watchedUntil));
  }

  /**
   * Takes the watch lease, when watching, and renews it until it is lost or given up; true when
   * it was taken now (the watches are this replica's from now on).
   */
  private async holdWatchLease(): Promise<boolean> {
    const { watches, leases, leaseTtlMs, logger } = this.options;
    if (!watches || this.#watchRenewal) return false;
    if (!(await leases.tryAcquire(WATCH_LEASE, this.#holder, leaseTtlMs))) {
      return false;
    }
    watches.activate(() => this.publishChanges());
    this.#watchRenewal = setInterval(() => {
      leases.renew(WATCH_LEASE, this.#holder, leaseTtlMs).then(
        held => {
          if (held) return;
          logger.warn(
            'Lost the watch lease; another replica watches the clusters now',
          );
          clearInterval(this.#watchRenewal);
          this.#watchRenewal = undefined;
          void watches.deactivate();
        },
        error =>
          logger.warn('Renewing the watch lease failed', {
            error: error.message,
          }),
      );
    }, leaseTtlMs / 3);
    this.#watchRenewal.unref();
    return true;
  }

  /** Takes the lease, or waits on its holder: true to refresh, false when it refreshed. */
  private async acquireOrWait(): Promise<boolean> {
    const { leases, leaseTtlMs, logger } = this.options;
    let waited = false;
    for (;;) {
      if (waited) {
        // Released while this replica waited: its holder finished and published.
        const state = await leases.state(LEASE);
        if (state && state.expiresAt < 0) return false;
      }
      if (await leases.tryAcquire(LEASE, this.#holder, leaseTtlMs)) {
        if (waited) {
          logger.info(
            'Took over the refresh lease of a replica that stopped renewing it',
          );
        }
        return true;
      }
      waited = true;
      await new Promise(resolve =>
        setTimeout(resolve, Math.min(1_000, leaseTtlMs / 5)),
      );
    }
  }

  /** `resumeWatches`: see {@link AtlasRefresher.refresh}. */
  private async refresh(options: {
    resumeWatches: boolean;
  }): Promise<RefreshOutcome> {
    const { refresher, logger, publishEarlyAfterMs } = this.options;
    const started = Date.now();
    // Asked once per refresh, while the clusters are read; every publication of it uses them.
    this.#prices = this.prices();
    this.#gatewayTraffic = this.gatewayTraffic();
    let read = 0;
    let readPublished = 0;
    let pending = Infinity;
    let earlyPublications = 0;
    let publishing: Promise<unknown> | undefined;
    // One publication at a time; after the deadline, again whenever more clusters were read
    // while others are still being read, so no cluster waits for the slowest one.
    const publishEarly = () => {
      if (publishing || pending === 0 || read === readPublished) return;
      if (Date.now() - started < publishEarlyAfterMs) return;
      logger.info(
        'Publishing the clusters read so far while others are still being read',
        {
          read,
          pending,
        },
      );
      readPublished = read;
      publishing = this.publish(undefined)
        .then(() => {
          earlyPublications += 1;
        })
        .catch(error =>
          logger.warn('Publishing the clusters read so far failed', {
            error: error.message,
          }),
        )
        .finally(() => {
          publishing = undefined;
          publishEarly();
        });
    };
    const timer = setTimeout(publishEarly, publishEarlyAfterMs);
    try {
      const summary = await refresher.refresh({
        resumeWatches: options.resumeWatches,
        onCluster: (result, stillPending) => {
          if (result.ok) read += 1;
          pending = stillPending;
          publishEarly();
        },
      });
      pending = 0;
      while (publishing) await publishing;
      const model = await this.publish(summary.sourceErrors);
      logger.info('Refreshed the atlas', {
        clusters: summary.clusters.length,
        resumed: summary.clusters.filter(c => c.resumed).length || undefined,
        failed: summary.clusters.filter(c => !c.ok).length,
        paths: model.paths,
        findings: model.findings,
        ms: Date.now() - started,
      });
      return { ran: true, publications: earlyPublications + 1 };
    } finally {
      pending = 0;
      clearTimeout(timer);
    }
  }

  /**
   * Analyses what is stored and publishes it, after the publications already asked for.
   * `sourceErrors` undefined: an early publication, or one of watched changes, which keeps the
   * source errors of the model it follows. `onStart` runs as this one starts reading the store.
   */
  private publish(
    sourceErrors: SourceError[] | undefined,
    onStart?: () => void,
  ) {
    const next = this.#publishing.then(() => {
      onStart?.();
      return this.publishNow(sourceErrors);
    });
    this.#publishing = next.catch(() => undefined);
    return next;
  }

  private async publishNow(sourceErrors: SourceError[] | undefined) {
    const { store, costHistory, analysis, models, catalog, auth, logger } =
      this.options;
    // Where a publication's time goes, for the log.
    const ms: Record<string, number> = {};
    let at = Date.now();
    const lap = (phase: string) => {
      const now = Date.now();
      ms[phase] = now - at;
      at = now;
    };
    let read = 0;
    const analysed = await analysis.analyze(async held => {
      // Behind views of the model being written in the worker, if any.
      lap('queuedMs');
      const snapshots = await store.listStoredClusters({ held });
      read = snapshots.filter(s => s.inventoryGz).length;
      const input = {
        latestModelRevision: await store.latestModelRevision(),
        snapshots,
        clouds: await store.listCloud(),
        prices: await (this.#prices ??= this.prices()),
        gatewayTraffic: await (this.#gatewayTraffic ??= this.gatewayTraffic()),
        entities: await readCatalogEntities({ catalog, auth }),
        now: new Date().toISOString(),
      };
      lap('readMs');
      return input;
    });
    lap('analysisMs');
    await models.publish(
      analysed,
      sourceErrors ?? (await models.sourceErrors()),
    );
    lap('storeMs');
    // The model is published: a trend missing a point does not undo that.
    await costHistory.record(analysed.costDay).catch(error =>
      logger.warn("Recording the day's cost failed", {
        error: error.message,
      }),
    );
    lap('costHistoryMs');
    const { run, cpuMs, heap } = analysed;
    return {
      paths: analysed.summary.paths,
      findings: analysed.summary.findings,
      ...(run && {
        clustersAnalysed: `${run.analysedClusters.length} of ${run.clusters}`,
      }),
      // Inventories read from the store: those the analysis did not hold already.
      inventoriesRead: read,
      // The model's parts written: those not stored with the model before.
      modelPartsWritten: `${analysed.modelParts.filter(p => p.gz).length} of ${
        analysed.modelParts.length
      }`,
      ...ms,
      ...(cpuMs !== undefined && { analysisCpuMs: cpuMs }),
      // Where the memory is: the model in the analysis worker, the views in this thread.
      ...(heap && { analysisHeapMiB: `${heap.used} of ${heap.held}` }),
      requestHeapMiB: ((h: HeapMiB) => `${h.used} of ${h.held}`)(heapMiB()),
      // Buffers outside the heaps (bodies, compressed inventories), and the whole process.
      requestExternalMiB: Math.round(process.memoryUsage().external / 2 ** 20),
      rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
    };
  }

  /** None when Prometheus is not configured or does not answer: traffic stays unmeasured. */
  private async gatewayTraffic(): Promise<GatewayTraffic[]> {
    const { meshTraffic, logger } = this.options;
    if (!meshTraffic) return [];
    try {
      const traffic = await meshTraffic.read();
      logger.info('Read gateway traffic from Prometheus', {
        workloads: traffic.length,
      });
      return traffic;
    } catch (error) {
      logger.warn('Could not read gateway traffic from Prometheus', {
        error: (error as Error).message,
      });
      return [];
    }
  }

  /** The catalogue, with config overrides, refined by what the providers' price APIs say. */
  private async prices(): Promise<PriceCatalogue> {
    const inquired: Record<string, Record<string, number>> = {};
    for (const provider of this.options.cloudProviders) {
      try {
        // Price APIs only refine the catalogue: they may not hold up a refresh.
        const prices = await withTimeout(provider.inquirePrices?.(), 15_000);
        if (prices) inquired[provider.id] = prices;
      } catch (error) {
        this.options.logger.debug('Price inquiry failed; using the catalogue', {
          provider: provider.id,
          error: (error as Error).message,
        });
      }
    }
    return mergePriceCatalogue(
      mergePriceCatalogue(DEFAULT_PRICES, this.options.prices),
      inquired,
      {
        source: 'provider price API',
        date: new Date().toISOString().slice(0, 10),
      },
    );
  }
}

function withTimeout<T>(promise: Promise<T> | undefined, ms: number) {
  if (!promise) return undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no answer within ${ms} ms`)),
        ms,
      ).unref(),
    ),
  ]);
}
