import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { CompressedInventory } from '../inventory/compressedInventory';
import { JobThread } from '../workers/JobThread';
import type { AppliedChanges, Change } from './watchedChanges';
import {
  COLLECTION_JOB_MODULE,
  CollectionJob,
  CollectionOutcome,
  serveCollectionJobs,
} from './collectionJob';

/**
 * Reads live clusters, and applies what their watches saw to their stored inventories, in a
 * worker thread, so that parsing list pages and whole inventories never holds the thread that
 * answers requests (nor fills its heap). The worker starts with the first job and ends with
 * {@link CollectionRunner.stop}, or `idleStopMs` after its last job, taking its memory with
 * it; it never holds the process open by itself. Where no worker starts, jobs run in this
 * thread.
 */
export class CollectionRunner {
  static create(options: {
    logger: LoggerService;
    useWorker?: boolean;
    idleStopMs?: number;
  }) {
    return new CollectionRunner(options);
  }

  readonly #thread: JobThread<{ ready?: true } & CollectionOutcome>;
  readonly #pending = new Map<number, (outcome: CollectionOutcome) => void>();
  #lastId = 0;
  #idleTimer?: NodeJS.Timeout;

  private constructor(
    private readonly options: Parameters<typeof CollectionRunner.create>[0],
  ) {
    this.#thread = new JobThread({
      what: 'the cluster reader',
      module: COLLECTION_JOB_MODULE,
      serve: serveCollectionJobs,
      // As for the analysis: a small young generation keeps the peak memory down.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
      isReady: message => message.ready === true,
      receive: message => {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      },
      failed: error => {
        for (const [id, done] of this.#pending) {
          done({ id, retries: [], error: error.message });
        }
        this.#pending.clear();
      },
      logger: options.logger,
      useWorker: options.useWorker,
    });
  }

  /** Reads one cluster; throws an error that says what failed (e.g. `timed out after 60s`). */
  async collect(
    connection: ClusterConnection,
    options: { timeoutMs: number; kindConcurrency: number },
  ): Promise<{ inventory: CompressedInventory; requests: number }> {
    const outcome = await this.run({ kind: 'collect', connection, ...options });
    for (const { request, retry, reason, delayMs } of outcome.retries) {
      this.options.logger.warn('Retried a Kubernetes API request', {
        cluster: connection.descriptor.name,
        request,
        retry,
        reason,
        delayMs,
      });
    }
    if ('error' in outcome) throw new Error(outcome.error);
    if (!('inventory' in outcome))
      throw new Error('The cluster reader read nothing');
    return outcome;
  }

  /** Applies a cluster's watched changes to its stored inventory (gzip of its JSON). */
  async apply(
    inventoryGz: Uint8Array,
    changes: Change[],
    collectedAt: string,
  ): Promise<AppliedChanges> {
    const outcome = await this.run({
      kind: 'apply',
      inventoryGz,
      changes,
      collectedAt,
    });
    if ('error' in outcome) throw new Error(outcome.error);
    if (!('applied' in outcome))
      throw new Error('The cluster reader applied nothing');
    return outcome.applied;
  }

  /** Ends the worker, e.g. once a refresh has read every cluster. */
  async stop() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    await this.#thread.stop();
  }

  private async run(
    job: DistributiveOmit<CollectionJob, 'id'>,
  ): Promise<CollectionOutcome> {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#lastId += 1;
    const id = this.#lastId;
    const port = await this.#thread.port();
    try {
      return await new Promise<CollectionOutcome>(resolve => {
        this.#pending.set(id, resolve);
        port.postMessage({ ...job, id });
      });
    } finally {
      const { idleStopMs } = this.options;
      if (idleStopMs !== undefined && this.#pending.size === 0) {
        this.#idleTimer = setTimeout(() => {
          this.#idleTimer = undefined;
          if (this.#pending.size === 0) void this.#thread.stop();
        }, idleStopMs);
        this.#idleTimer.unref();
      }
    }
  }
}

type DistributiveOmit<T, K extends keyof any> = T extends unknown
  ? Omit<T, K>
  : never;
