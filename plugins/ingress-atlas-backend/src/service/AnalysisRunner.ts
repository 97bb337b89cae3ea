import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Worker } from 'node:worker_threads';
import {
  ANALYSIS_JOB_MODULE,
  AnalysisJob,
  AnalysisMessage,
  runAnalysisJob,
} from './analysisJob';
import { SerializedJson } from './serializedJson';

/** A model ready to serve: the model itself, each entity's view serialized, and (when new) the model to store. */
export interface AnalysedModel {
  model: AtlasModel;
  exposures: Map<string, SerializedJson>;
  modelGz?: Uint8Array;
}

/**
 * Runs in the worker thread. From source (`.ts`), the worker needs the same on-the-fly
 * transform as the backend: `backstage-cli package start` passes it on through the inherited
 * `--require`, jest does not, so it is registered here when missing. Once built, the module
 * is plain JavaScript.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const path = require('node:path');
if (workerData.module.endsWith('.ts') && !require.extensions['.ts']) {
  require(require.resolve('@backstage/cli/config/nodeTransform.cjs', {
    paths: [path.dirname(workerData.module)],
  }));
}
require(workerData.module).runAnalysisJobInWorker();
`;

class WorkerStartError extends Error {}

/** Puts the pieces of a job's outcome back together. */
class ResultBuilder {
  readonly #model: Record<string, any> = {};
  readonly #exposures = new Map<string, SerializedJson>();
  #modelGz?: Uint8Array;

  take(message: AnalysisMessage) {
    switch (message.type) {
      case 'model':
        this.#model[message.field] = message.value;
        break;
      case 'items':
        for (const item of message.items) this.#model[message.field].push(item);
        break;
      case 'exposures':
        for (const [entityRef, body] of message.exposures) {
          this.#exposures.set(entityRef, body);
        }
        break;
      case 'done':
        this.#modelGz = message.modelGz;
        break;
      default:
    }
  }

  build(): AnalysedModel {
    return {
      model: this.#model as AtlasModel,
      exposures: this.#exposures,
      modelGz: this.#modelGz,
    };
  }
}

/**
 * Parses snapshots, analyses them and serializes the result in a worker thread, so that the
 * backend keeps answering requests meanwhile; one worker per job, gone with its memory once
 * the job is done. Where no worker can start, the job runs in the backend's own thread.
 */
export class AnalysisRunner {
  static create(options: { logger: LoggerService; useWorker?: boolean }) {
    return new AnalysisRunner(options.logger, options.useWorker ?? true);
  }

  private constructor(
    private readonly logger: LoggerService,
    private useWorker: boolean,
  ) {}

  async run(job: AnalysisJob): Promise<AnalysedModel> {
    if (this.useWorker) {
      try {
        return await this.inWorker(job);
      } catch (error) {
        if (!(error instanceof WorkerStartError)) throw error;
        this.useWorker = false;
        this.logger.debug('No worker thread for the analysis; running it in the main thread', {
          error: error.message,
        });
      }
    }
    const result = new ResultBuilder();
    await runAnalysisJob(job, async message => result.take(message));
    return result.build();
  }

  private inWorker(job: AnalysisJob): Promise<AnalysedModel> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: ANALYSIS_JOB_MODULE, job },
      });
      const result = new ResultBuilder();
      let started = false;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        if (error) reject(error);
        else resolve(result.build());
      };
      worker.on('message', (message: AnalysisMessage) => {
        if (message.type === 'ready') {
          started = true;
          return;
        }
        if (message.type === 'error') {
          const error = new Error(`Analysis failed: ${message.message}`);
          error.stack = message.stack;
          settle(error);
          return;
        }
        result.take(message);
        if (message.type === 'done') {
          settle();
          return;
        }
        // Requests waiting on this thread go first; then the worker sends the next piece.
        setImmediate(() => worker.postMessage('next'));
      });
      worker.on('error', (error: Error) =>
        settle(started ? error : new WorkerStartError(error.message)),
      );
      worker.on('exit', code =>
        settle(
          started
            ? new Error(`The analysis worker stopped (exit code ${code})`)
            : new WorkerStartError(`exit code ${code}`),
        ),
      );
    });
  }
}
