import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { Worker } from 'node:worker_threads';
import type { CompressedInventory } from '../inventory/compressedInventory';
import { startWorkerThread } from '../service/workerThread';
import {
  COLLECTION_JOB_MODULE,
  CollectionJob,
  CollectionOutcome,
  runCollectionJob,
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
    return new CollectionRunner(options, options.useWorker ?? true);
  }

  #worker?: Promise<Worker | undefined>;
  readonly #pending = new Map<number, (outcome: CollectionOutcome) => void>();
  #lastId = 0;

  private constructor(
    private readonly options: Parameters<typeof CollectionRunner.create>[0],
    private useWorker: boolean,
  ) {}

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
    const worker = await this.worker();
    const outcome = worker
      ? await new Promise<CollectionOutcome>(resolve => {
          this.#pending.set(job.id, resolve);
          worker.postMessage(job);
        })
      : await runCollectionJob(job);
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
    const worker = await this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  private worker(): Promise<Worker | undefined> {
    if (!this.useWorker) return Promise.resolve(undefined);
    if (this.#worker) return this.#worker;
    const started = new Promise<Worker | undefined>(resolve => {
      const worker = startWorkerThread({
        module: COLLECTION_JOB_MODULE,
        serve: serveCollectionJobs,
        // As for the analysis: a small young generation keeps the peak memory down.
        resourceLimits: { maxYoungGenerationSizeMb: 16 },
      });
      let ready = false;
      worker.on('message', (message: { ready?: true } & CollectionOutcome) => {
        if (message.ready) {
          ready = true;
          resolve(worker);
          return;
        }
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      });
      const fail = (error: Error) => {
        if (this.#worker === started) this.#worker = undefined;
        if (!ready) {
          this.useWorker = false;
          this.options.logger.debug(
            'No worker thread for reading clusters; reading them in the main thread',
            { error: error.message },
          );
          resolve(undefined);
          return;
        }
        for (const [id, done] of this.#pending) {
          done({ id, retries: [], error: `the cluster reader stopped: ${error.message}` });
        }
        this.#pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', code => fail(new Error(`exit code ${code}`)));
    });
    this.#worker = started;
    return started;
  }
}
