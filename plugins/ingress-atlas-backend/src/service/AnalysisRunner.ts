import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { MessageChannel, Worker } from 'node:worker_threads';
import { startWorkerThread } from './workerThread';
import {
  ANALYSIS_JOB_MODULE,
  AllExposures,
  AnalysisJob,
  AnalysisMessage,
  serveAnalysisJobs,
} from './analysisJob';
import { SerializedJson } from './serializedJson';

/** A model ready to serve: the model itself and the responses serialized in advance. */
export interface LoadedModel {
  model: AtlasModel;
  /** Each entity's view, by entity ref. */
  exposures: Map<string, SerializedJson>;
  /** `GET /exposures`. */
  allExposures: AllExposures;
}

/** A new model: ready to serve, and compressed, ready to be stored. */
export interface AnalysedModel extends LoadedModel {
  modelGz: Uint8Array;
}

class WorkerStartError extends Error {}

/** Puts the pieces of a job's outcome back together. */
class Outcome {
  readonly #model: Record<string, any> = {};
  readonly #exposures = new Map<string, SerializedJson>();
  #done?: Extract<AnalysisMessage, { type: 'done' }>;

  /** Takes one message; true once the job is done. */
  take(message: AnalysisMessage): boolean {
    switch (message.type) {
      case 'model':
        this.#model[message.field] = message.value;
        return false;
      case 'items':
        for (const item of JSON.parse(message.json)) this.#model[message.field].push(item);
        return false;
      case 'exposures':
        for (const [entityRef, body] of message.exposures) {
          this.#exposures.set(entityRef, body);
        }
        return false;
      case 'done':
        this.#done = message;
        return true;
      default:
        return false;
    }
  }

  get modelGz() {
    return this.#done?.modelGz;
  }

  loaded(): LoadedModel {
    return {
      model: this.#model as AtlasModel,
      exposures: this.#exposures,
      allExposures: this.#done!.allExposures,
    };
  }
}

/** Where jobs run: a worker thread, or this thread through a message channel. */
interface Running {
  port: Pick<Worker, 'postMessage' | 'ref' | 'unref'>;
  ready: Promise<void>;
  stop(): Promise<unknown>;
  /** The job in progress: where its messages and failures go. */
  current?: { take(message: AnalysisMessage): void; fail(error: Error): void };
}

/**
 * Parses, analyses and serializes in a worker thread, so that the backend keeps answering
 * requests meanwhile. One long-lived worker runs the jobs one after another: a V8 isolate
 * keeps the memory it grew to, so a worker per job would add up. Where no worker can start,
 * jobs run in the backend's own thread, in the same pieces.
 */
export class AnalysisRunner {
  static create(options: { logger: LoggerService; useWorker?: boolean }) {
    return new AnalysisRunner(options.logger, options.useWorker ?? true);
  }

  #running?: Running;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly logger: LoggerService,
    private useWorker: boolean,
  ) {}

  async analyze(
    input: Omit<Extract<AnalysisJob, { kind: 'analyze' }>, 'kind'>,
  ): Promise<AnalysedModel> {
    const outcome = await this.run({ kind: 'analyze', ...input });
    return { ...outcome.loaded(), modelGz: outcome.modelGz! };
  }

  async load(modelGz: Uint8Array): Promise<LoadedModel> {
    return (await this.run({ kind: 'load', modelGz })).loaded();
  }

  /** Stops the worker, e.g. when the backend shuts down. */
  async stop() {
    const running = this.#running;
    this.#running = undefined;
    await running?.stop();
  }

  private run(job: AnalysisJob): Promise<Outcome> {
    const result = this.#queue.then(() => this.runNow(job));
    // The queue must not hold on to an outcome (a whole model) once it is handed over.
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async runNow(job: AnalysisJob): Promise<Outcome> {
    let running = this.#running ?? this.start();
    try {
      await running.ready;
    } catch (error) {
      if (!(error instanceof WorkerStartError)) throw error;
      this.useWorker = false;
      this.logger.debug('No worker thread for the analysis; running it in the main thread', {
        error: error.message,
      });
      running = this.start();
    }
    const { port } = running;
    // Held open while it works, not while it idles.
    port.ref();
    return new Promise<Outcome>((resolve, reject) => {
      const outcome = new Outcome();
      running.current = {
        take: message => {
          // Requests waiting on this thread go first; then the next piece is sent.
          setImmediate(() => port.postMessage('next'));
          if (outcome.take(message)) {
            running.current = undefined;
            resolve(outcome);
          }
        },
        fail: error => {
          running.current = undefined;
          reject(error);
        },
      };
      port.postMessage(job);
    }).finally(() => port.unref());
  }

  private start(): Running {
    this.#running = this.useWorker ? this.startWorker() : startInThisThread();
    return this.#running;
  }

  private startWorker(): Running {
    const worker = startWorkerThread({
      module: ANALYSIS_JOB_MODULE,
      serve: serveAnalysisJobs,
      // A small young generation: about 150 MiB less memory at the peak of an analysis of
      // 20 clusters x 5,000 Services, for no measurable time.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    let started = false;
    let markReady: () => void;
    let failStart: (error: Error) => void;
    const running: Running = {
      port: worker,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
      stop: () => worker.terminate(),
    };
    const fail = (error: Error) => {
      if (this.#running === running) this.#running = undefined;
      void worker.terminate();
      if (started) running.current?.fail(error);
      else failStart(new WorkerStartError(error.message));
    };
    worker.on('message', (message: AnalysisMessage) => {
      if (message.type === 'ready') {
        started = true;
        markReady();
      } else {
        receive(running, message);
      }
    });
    worker.on('error', (error: Error) => fail(error));
    worker.on('exit', code => fail(new Error(`The analysis worker stopped (exit code ${code})`)));
    return running;
  }
}

function startInThisThread(): Running {
  const { port1, port2 } = new MessageChannel();
  const running: Running = {
    port: port1,
    ready: Promise.resolve(),
    stop: async () => {
      port1.close();
      port2.close();
    },
  };
  port1.on('message', (message: AnalysisMessage) => receive(running, message));
  port1.unref();
  serveAnalysisJobs(port2);
  port2.unref();
  return running;
}

function receive(running: Running, message: AnalysisMessage) {
  if (message.type === 'ready') return;
  if (message.type === 'error') {
    const error = new Error(`Analysis failed: ${message.message}`);
    error.stack = message.stack;
    running.current?.fail(error);
  } else {
    running.current?.take(message);
  }
}
