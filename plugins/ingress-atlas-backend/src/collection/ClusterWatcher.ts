import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterConnection,
  CollectedKind,
  DEFAULT_RETRY_POLICY,
  RetryPolicy,
  isRetryableStatus,
  retryDelayMs,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { WatchStart, WatchedInventory } from '../inventory/compressedInventory';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import {
  KindOutcome,
  KubeApiClient,
  WatchEvent,
  admitListItem,
  keptOf,
} from './KubeCollector';
import { CollectionRunner } from './CollectionRunner';
import { Change, Reduced, StoredIndex, keyOf } from './watchedChanges';

interface WatcherOptions {
  logger: LoggerService;
  store: SnapshotStore;
  /** Called once a change has been stored in the cluster's snapshot. */
  onStored: () => void;
  debounceMs: number;
  /** Asked of the server per watch request; a watch that ends is resumed from where it got. */
  watchTimeoutSeconds: number;
  retryPolicy: RetryPolicy;
  /** Applies changes to stored inventories off the thread that answers requests. */
  runner: CollectionRunner;
}

/**
 * How long the progress of watches that stored nothing (bookmarks, objects not kept) waits to
 * be stored: a successor then resumes from there rather than from a version that may have
 * expired meanwhile.
 */
const PROGRESS_STORED_AFTER_MS = 60_000;

/**
 * Keeps one cluster's snapshot current after its kinds were listed: a WATCH per kind from the
 * list's resourceVersion (or from where the stored snapshot's watches got, when resuming
 * them), with bookmarks. Changes are gathered for `debounceMs`, applied to the stored
 * (compressed) inventory in the cluster reader's worker thread and stored with the
 * resourceVersion each kind's watch had reached, so the watcher holds neither an object graph
 * nor the inventory's bytes between changes and the thread answering requests never parses a
 * whole inventory. A kind whose watch
 * expires (410 Gone) is listed again, that kind only; a kind whose watch is refused, or keeps
 * failing after the retry policy's retries, is left to the periodic refresh.
 */
export class ClusterWatcher {
  static async start(
    connection: ClusterConnection,
    inventory: WatchedInventory,
    options: WatcherOptions,
  ): Promise<ClusterWatcher> {
    const stopping = new AbortController();
    const client = await KubeApiClient.open(connection, stopping.signal);
    return new ClusterWatcher(connection, inventory, client, stopping, options);
  }

  readonly #kinds = new Set<CollectedKind>();
  readonly #fallenBack = new Map<CollectedKind, string>();
  #pending: Change[] = [];
  #timer?: NodeJS.Timeout;
  #progressTimer?: NodeJS.Timeout;
  /**
   * Where each kind's watch has got: the resourceVersion of the last event received (stored,
   * queued, or dropped as changing nothing), or of its last list.
   */
  readonly #watchFrom: Partial<Record<CollectedKind, WatchStart>>;
  /** Where the watches had got as stored with the cluster's snapshot. */
  #storedWatchFrom: WatchedInventory['watchFrom'];
  #flushing: Promise<void> = Promise.resolve();
  readonly #loops: Promise<void>[] = [];
  /**
   * What the last store kept of the kinds whose items are filtered (unknown until the first
   * store): the events of Endpoints and ConfigMaps that are not kept and were not before (the
   * Endpoints of every Service with a selector change with each Pod) are dropped here instead
   * of each costing a store and a publication.
   */
  #stored?: StoredIndex;
  readonly #name: string;

  private constructor(
    connection: ClusterConnection,
    inventory: WatchedInventory,
    private readonly client: KubeApiClient,
    private readonly stopping: AbortController,
    private readonly options: WatcherOptions,
  ) {
    this.#name = connection.descriptor.name;
    this.#watchFrom = structuredClone(inventory.watchFrom ?? {});
    this.#storedWatchFrom = inventory.watchFrom;
    for (const [kind, start] of Object.entries(this.#watchFrom)) {
      this.#kinds.add(kind as CollectedKind);
      this.#loops.push(this.watchKind(kind as CollectedKind, start));
    }
    options.logger.info('Watching cluster', {
      cluster: this.#name,
      kinds: this.#kinds.size,
    });
  }

  /** The kinds being watched, and those left to the periodic refresh with the reason. */
  status() {
    return {
      watching: [...this.#kinds].filter(k => !this.#fallenBack.has(k)),
      periodicOnly: Object.fromEntries(this.#fallenBack),
    };
  }

  /** Ends the watches; changes not yet stored are dropped (a refresh is replacing them). */
  async stop() {
    this.stopping.abort();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#progressTimer);
    this.#progressTimer = undefined;
    this.#pending = [];
    await Promise.all(this.#loops);
    await this.#flushing;
  }

  /** Watches `kind` from `start`, moving its resourceVersion on with each event received. */
  private async watchKind(kind: CollectedKind, start: WatchStart) {
    const { signal } = this.stopping;
    const { logger, retryPolicy, watchTimeoutSeconds } = this.options;
    // Read and written by the event handler of each watch request.
    const at = { failures: 0 };
    while (!signal.aborted) {
      let expired = false;
      let failure: string | undefined;
      let events = 0;
      const since = Date.now();
      try {
        const { status, body } = await this.client.watch(
          start.path,
          start.resourceVersion,
          {
            signal,
            timeoutSeconds: watchTimeoutSeconds,
            onEvent: event => {
              if (event.type === 'ERROR') {
                if (event.object.code === 410) expired = true;
                else failure = statusText(event.object.code, event.object);
                return;
              }
              const version = event.object.metadata?.resourceVersion;
              if (typeof version === 'string' && version)
                start.resourceVersion = version;
              at.failures = 0;
              events += 1;
              if (event.type !== 'BOOKMARK') this.receive(kind, start, event);
              this.storeProgressSoon();
            },
          },
        );
        if (status === 410) {
          expired = true;
        } else if (status !== 200 && !isRetryableStatus(status)) {
          // Forbidden, not found, refused credentials: retrying will not help.
          this.fallBack(kind, statusText(status, body));
          return;
        } else if (status !== 200) {
          failure = statusText(status, body);
        } else if (
          !expired &&
          !failure &&
          events === 0 &&
          Date.now() - since < 1_000
        ) {
          // A server that ends every watch at once must not be asked again in a tight loop.
          failure = 'the API server ended the watch at once';
        }
      } catch (error) {
        if (signal.aborted) return;
        failure = (error as Error).message;
      }
      if (expired) {
        logger.info('Watch expired; listing that kind again', {
          cluster: this.#name,
          kind,
        });
        try {
          const listed = await this.relist(kind, start);
          if (listed === undefined) return;
          start.resourceVersion = listed;
          at.failures = 0;
          continue;
        } catch (error) {
          if (signal.aborted) return;
          failure = `listing again failed: ${(error as Error).message}`;
        }
      }
      if (failure) {
        at.failures += 1;
        if (at.failures > retryPolicy.retries) {
          this.fallBack(kind, failure);
          return;
        }
        logger.debug('Watch failed; reconnecting', {
          cluster: this.#name,
          kind,
          retry: at.failures,
          reason: failure,
        });
        try {
          await sleep(
            retryDelayMs(at.failures, undefined, retryPolicy),
            undefined,
            { signal },
          );
        } catch {
          return;
        }
      }
      // Otherwise the server ended the watch (its timeout): resume from where it got.
    }
  }

  /** Lists `kind` again; answers the list's version, or undefined when it is no longer served. */
  private async relist(
    kind: CollectedKind,
    start: WatchStart,
  ): Promise<string | undefined> {
    const outcome = await this.client.listPath(
      kind,
      start.path,
      start.apiVersion,
    );
    if (outcome.unavailable) {
      this.queue({ kind, relisted: { unavailable: outcome.unavailable } });
      this.fallBack(kind, outcome.unavailable);
      return undefined;
    }
    this.queue({ kind, relisted: reduceList(kind, outcome) });
    if (!outcome.watchFrom) {
      this.fallBack(kind, 'the list carried no resourceVersion to watch from');
      return undefined;
    }
    return outcome.watchFrom.resourceVersion;
  }

  private fallBack(kind: CollectedKind, reason: string) {
    if (this.stopping.signal.aborted) return;
    this.#fallenBack.set(kind, reason);
    this.options.logger.warn(
      'Cannot watch a kind; it is read at the periodic refresh only',
      {
        cluster: this.#name,
        kind,
        reason,
      },
    );
  }

  private receive(kind: CollectedKind, start: WatchStart, event: WatchEvent) {
    const key = keyOf(event.object.metadata);
    const stored = this.#stored;
    // Neither kept nor rejected at the last store: its deletion changes nothing.
    const unseen =
      stored !== undefined &&
      (kind === 'endpoints' || kind === 'configmaps') &&
      !stored[kind].has(key);
    if (event.type === 'DELETED') {
      if (!unseen) this.queue({ kind, key, deleted: true });
      return;
    }
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    const admitted = admitListItem(kind, event.object, start.apiVersion);
    if ('rejected' in admitted) {
      this.queue({ kind, key, rejected: admitted.rejected });
      return;
    }
    // As for a LIST: a Secret's certificate is read and its data dropped before anything is kept.
    const {
      items: [object],
      certificates: [certificate],
    } = keptOf(kind, [admitted.object]);
    if (!object) {
      if (!unseen) this.queue({ kind, key, deleted: true });
      return;
    }
    // A Service that loses its selector has its Endpoints listed again at the flush.
    if (kind === 'endpoints' && unseen && !stored!.selectorless.has(key))
      return;
    this.queue({ kind, key, object, certificate });
  }

  private queue(change: Change) {
    if (this.stopping.signal.aborted) return;
    this.#pending.push(change);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flushing.then(() => this.flush());
    }, this.options.debounceMs);
  }

  /**
   * Stores, within `PROGRESS_STORED_AFTER_MS`, how far the watches got when nothing they saw
   * since is left to store.
   */
  private storeProgressSoon() {
    this.#progressTimer ??= setTimeout(() => {
      this.#progressTimer = undefined;
      this.#flushing = this.#flushing.then(() => this.storeProgress());
    }, PROGRESS_STORED_AFTER_MS);
    this.#progressTimer.unref();
  }

  private async storeProgress() {
    // Changes waiting to be stored carry the progress with them; until then it is ahead of them.
    if (this.#pending.length > 0 || this.stopping.signal.aborted) return;
    const watchFrom = structuredClone(this.#watchFrom);
    if (isDeepStrictEqual(watchFrom, this.#storedWatchFrom)) return;
    try {
      await this.options.store.saveWatchFrom(this.#name, watchFrom);
      this.#storedWatchFrom = watchFrom;
    } catch (error) {
      this.options.logger.warn(
        'Storing how far the watches of a cluster got failed',
        {
          cluster: this.#name,
          error: (error as Error).message,
        },
      );
    }
  }

  /** Applies the changes gathered so far to the stored inventory, and stores it. */
  private async flush() {
    const changes = this.#pending;
    // Every event received so far is among these changes, or changed nothing.
    const watchFrom = structuredClone(this.#watchFrom);
    this.#pending = [];
    if (changes.length === 0 || this.stopping.signal.aborted) return;
    const { logger, store, runner } = this.options;
    const started = Date.now();
    try {
      const now = new Date().toISOString();
      // Read from the store rather than kept here: at a hundred clusters the copies would
      // hold 55 MiB of this thread's memory between changes.
      const inventoryGz = await store.storedInventory(this.#name);
      if (!inventoryGz) throw new Error('the cluster has no stored inventory');
      const applied = await runner.apply(inventoryGz, changes, now);
      const compressed = { ...applied.inventory, watchFrom };
      // Stopped meanwhile: a refresh is storing a newer list of this cluster.
      if (this.stopping.signal.aborted) return;
      await store.saveClusterSuccess(compressed, now);
      this.#storedWatchFrom = watchFrom;
      this.#stored = applied.stored;
      logger.debug('Stored the changes watched in a cluster', {
        cluster: this.#name,
        changes: changes.length,
        ms: Date.now() - started,
      });
      this.options.onStored();
      if (
        applied.endpointsNeeded &&
        this.status().watching.includes('endpoints')
      ) {
        // A Service lost its selector: its Endpoints were not kept, so they are read now.
        const start = this.#watchFrom.endpoints;
        if (start) {
          this.relist('endpoints', start).catch(error =>
            logger.warn('Listing endpoints again failed', {
              cluster: this.#name,
              error: (error as Error).message,
            }),
          );
        }
      }
    } catch (error) {
      logger.warn('Storing the changes watched in a cluster failed', {
        cluster: this.#name,
        error: (error as Error).message,
      });
    }
  }
}

function reduceList(kind: CollectedKind, outcome: KindOutcome): Reduced {
  return {
    ...keptOf(kind, outcome.items ?? []),
    rejected: outcome.rejected ?? [],
  };
}

function statusText(status: number, body: any): string {
  const message = typeof body?.message === 'string' ? `: ${body.message}` : '';
  return `HTTP ${status}${message}`;
}

/**
 * The watches of every cluster this replica refreshes, while it holds the lease that lets it
 * watch: each cluster's watcher is (re)started when its kinds have been listed, and ended
 * when the replica gives up the lease or shuts down.
 */
export class ClusterWatches {
  static create(options: {
    logger: LoggerService;
    store: SnapshotStore;
    debounceMs?: number;
    watchTimeoutSeconds?: number;
    retryPolicy?: RetryPolicy;
    /** false: apply changes in this thread (tests that count this thread's work). */
    useWorker?: boolean;
  }) {
    return new ClusterWatches({
      logger: options.logger,
      store: options.store,
      // Its worker ends 10 s after the last change it applied, taking its memory with it: a
      // burst of changes keeps it up, and the first change after a quiet spell waits for a
      // worker to start (a fraction of a second).
      runner: CollectionRunner.create({
        logger: options.logger,
        useWorker: options.useWorker,
        idleStopMs: 10_000,
      }),
      onStored: () => {},
      debounceMs: options.debounceMs ?? 250,
      // Spread over 5 to 10 minutes, as client-go does, so that watches do not all end at once.
      watchTimeoutSeconds:
        options.watchTimeoutSeconds ?? Math.round(300 + Math.random() * 300),
      retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    });
  }

  #active = false;
  readonly #watchers = new Map<string, Promise<ClusterWatcher | undefined>>();
  readonly #options: WatcherOptions;
  #onChange = () => {};

  private constructor(options: WatcherOptions) {
    this.#options = { ...options, onStored: () => this.#onChange() };
  }

  /**
   * Lets clusters be watched from now on (this replica holds the lease); `onChange` hears of
   * each change stored.
   */
  activate(onChange: () => void) {
    this.#onChange = onChange;
    this.#active = true;
  }

  get active() {
    return this.#active;
  }

  /** Ends every watch: the lease was lost or given up, or the backend shuts down. */
  async deactivate() {
    this.#active = false;
    await Promise.all([...this.#watchers.keys()].map(name => this.pause(name)));
    await this.#options.runner.stop();
  }

  /** Ends a cluster's watches, e.g. before a newer list of it is stored. */
  async pause(cluster: string) {
    const watcher = this.#watchers.get(cluster);
    this.#watchers.delete(cluster);
    await (await watcher)?.stop();
  }

  /** Ends the watches of clusters no source lists any more. */
  async retain(clusters: string[]) {
    const kept = new Set(clusters);
    await Promise.all(
      [...this.#watchers.keys()]
        .filter(name => !kept.has(name))
        .map(name => this.pause(name)),
    );
  }

  /**
   * Watches a cluster from the list just stored, or from where its stored watches got,
   * replacing its earlier watches.
   */
  async watch(connection: ClusterConnection, inventory: WatchedInventory) {
    const name = connection.descriptor.name;
    await this.pause(name);
    if (!this.#active || !inventory.watchFrom) return;
    const started = ClusterWatcher.start(
      connection,
      inventory,
      this.#options,
    ).catch(error => {
      this.#options.logger.warn(
        'Cannot watch cluster; it is read at the periodic refresh only',
        {
          cluster: name,
          error: (error as Error).message,
        },
      );
      return undefined;
    });
    this.#watchers.set(name, started);
    await started;
  }

  /** Per watched cluster: the kinds watched and those left to the periodic refresh. */
  async status() {
    const entries = await Promise.all(
      [...this.#watchers].map(async ([name, watcher]) => [
        name,
        (await watcher)?.status(),
      ]),
    );
    return Object.fromEntries(entries.filter(([, status]) => status));
  }
}
