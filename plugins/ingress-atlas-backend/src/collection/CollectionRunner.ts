import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { CompressedInventory } from '../inventory/compressedInventory';
import { JobThread } from '../workers/JobThread';
import {
  COLLECTION_JOB_MODULE,
  CollectionJob,
  CollectionOutcome,
  serveCollectionJobs,
} from './collectionJob';

/**
 * Reads live clusters in a worker thread, so that parsing their list pages never holds the
 * thread that answers requests (nor fills its heap). The worker starts with the first cluster
 * of a refresh and ends with {@link CollectionRunner.stop}, taking its memory with it; it never
 * holds the process open by itself. Where no worker starts, clusters are read in this thread.
 */
export class CollectionRunner {
  static create(options: {
    logger: LoggerService;
    kindConcurrency: number;
    timeoutMs: number;
    useWorker?: boolean;
  }) {
    return new CollectionRunner(options);
  }

  readonly #thread: JobThread<{ ready?: true } & CollectionOutcome>;
  readonly #pending = new Map<number, (outcome: CollectionOutcome) => void>();
  #lastId = 0;

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
  ): Promise<{ inventory: CompressedInventory; requests: number }> {
    this.#lastId += 1;
    const job: CollectionJob = {
      id: this.#lastId,
      connection,
      timeoutMs: this.options.timeoutMs,
      kindConcurrency: this.options.kindConcurrency,
    };
    const port = await this.#thread.port();
    const outcome = await new Promise<CollectionOutcome>(resolve => {
      this.#pending.set(job.id, resolve);
      port.postMessage(job);
    });
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
    return outcome;
  }

  /** Ends the worker, e.g. once a refresh has read every cluster. */
  async stop() {
    await this.#thread.stop();
  }
}
