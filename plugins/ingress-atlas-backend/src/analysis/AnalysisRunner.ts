import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import type { IncrementalRun } from '../engine/IncrementalAnalysis';
import { JobThread } from '../workers/JobThread';
import {
  ANALYSIS_JOB_MODULE,
  AllExposures,
  AnalysisJob,
  AnalysisMessage,
  serveAnalysisJobs,
} from './analysisJob';
import { SerializedJson } from '../views/serializedJson';

/** A model ready to serve: the model itself and the responses serialized in advance. */
export interface LoadedModel {
  model: AtlasModel;
  /** Each entity's view, by entity ref. */
  exposures: Map<string, SerializedJson>;
  /** `GET /exposures`: written after the rest, ready a little later. */
  allExposures: Promise<AllExposures>;
}

/** A new model: ready to serve, and compressed, ready to be stored. */
export interface AnalysedModel extends LoadedModel {
  modelGz: Uint8Array;
  /** The clusters analysed again, of how many. */
  run?: IncrementalRun;
}

/** A promise with its resolve and reject functions. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Puts the pieces of a job's outcome back together; the items the job kept from the model
 * sent before come from `previous`.
 */
class Outcome {
  readonly #model: Record<string, any> = {};

  readonly #exposures = new Map<string, SerializedJson>();
  #done?: Extract<AnalysisMessage, { type: 'done' }>;
  readonly #allExposures = deferred<AllExposures>();

  constructor(private readonly previous?: AtlasModel) {
    // Nobody may ask for them before the job fails.
    this.#allExposures.promise.catch(() => undefined);
  }

  get hasPrevious() {
    return this.previous !== undefined;
  }

  /** The job failed: what it has not delivered yet never comes. */
  fail(error: Error) {
    this.#allExposures.reject(error);
  }

  /** Takes one message; 'done' once the model is whole, 'finished' after the job's last. */
  take(message: AnalysisMessage): 'done' | 'finished' | undefined {
    switch (message.type) {
      case 'model':
        this.#model[message.field] = message.value;
        return undefined;
      case 'items':
        for (const item of JSON.parse(message.json)) this.#model[message.field].push(item);
        return undefined;
      case 'kept': {
        const items = this.previous?.[message.field];
        if (!Array.isArray(items)) {
          throw new Error(`Items of ${message.field} kept from a model this thread does not have`);
        }
        const { start, count } = message;
        for (let i = start; i < start + count; i++) this.#model[message.field].push(items[i]);
        return undefined;
      }
      case 'exposures':
        for (const [entityRef, body] of message.exposures) {
          this.#exposures.set(entityRef, body);
        }
        return undefined;
      case 'done':
        this.#done = message;
        return 'done';
      case 'allExposures':
        this.#allExposures.resolve(message.allExposures);
        return 'finished';
      default:
        return undefined;
    }
  }

  get modelGz() {
    return this.#done?.modelGz;
  }

  get run() {
    return this.#done?.run;
  }

  loaded(): LoadedModel {
    return {
      model: this.#model as AtlasModel,
      exposures: this.#exposures,
      allExposures: this.#allExposures.promise,
    };
  }
}

/**
 * Parses, analyses and serializes in a worker thread, so that the backend keeps answering
 * requests meanwhile. One long-lived worker runs the jobs one after another: a V8 isolate
 * keeps the memory it grew to, so a worker per job would add up. Where no worker can start,
 * jobs run in the backend's own thread, in the same pieces.
 */
export class AnalysisRunner {
  static create(options: { logger: LoggerService; useWorker?: boolean }) {
    return new AnalysisRunner(options);
  }

  readonly #thread: JobThread<AnalysisMessage>;
  #queue: Promise<unknown> = Promise.resolve();
  /** Settles when the job in progress has sent its last message. */
  #finished: Promise<void> = Promise.resolve();
  /** The model of the last job that succeeded: the worker sends only what changed since. */
  #previous?: AtlasModel;
  /** The job in progress: where its messages and failures go. */
  #current?: { take(message: AnalysisMessage): void; fail(error: Error): void };

  private constructor(options: { logger: LoggerService; useWorker?: boolean }) {
    this.#thread = new JobThread({
      what: 'the analysis worker',
      module: ANALYSIS_JOB_MODULE,
      serve: serveAnalysisJobs,
      // A small young generation: about 150 MiB less memory at the peak of an analysis of
      // 20 clusters x 5,000 Services, for no measurable time.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
      isReady: message => message.type === 'ready',
      receive: message => {
        if (message.type === 'error') {
          const error = new Error(`Analysis failed: ${message.message}`);
          error.stack = message.stack;
          this.#current?.fail(error);
        } else {
          this.#current?.take(message);
        }
      },
      failed: error => {
        // A new worker starts with nothing sent.
        this.#previous = undefined;
        this.#current?.fail(error);
      },
      logger: options.logger,
      useWorker: options.useWorker,
    });
  }

  async analyze(
    input: Omit<Extract<AnalysisJob, { kind: 'analyze' }>, 'kind'>,
  ): Promise<AnalysedModel> {
    const outcome = await this.run({ kind: 'analyze', ...input });
    return { ...outcome.loaded(), modelGz: outcome.modelGz!, run: outcome.run };
  }

  async load(modelGz: Uint8Array): Promise<LoadedModel> {
    return (await this.run({ kind: 'load', modelGz })).loaded();
  }

  /** Stops the worker, e.g. when the backend shuts down. */
  async stop() {
    await this.#thread.stop();
  }

  private run(job: AnalysisJob): Promise<Outcome> {
    const result = this.#queue.then(() => this.runNow(job));
    // The next job starts once this one has finished, after its outcome was handed over;
    // the queue must not hold on to an outcome (a whole model).
    this.#queue = result.then(
      () => this.#finished,
      () => this.#finished,
    );
    return result;
  }

  /**
   * Runs a job: resolves with its outcome once the model is whole; the job goes on with the
   * `GET /exposures` bodies, and the next job waits for that.
   */
  private async runNow(job: AnalysisJob): Promise<Outcome> {
    const port = await this.#thread.port();
    // Held open while it works, not while it idles.
    port.ref();
    const outcome = new Outcome(this.#previous);
    this.#previous = undefined;
    const done = deferred<Outcome>();
    const finished = deferred<void>();
    const fail = (error: Error) => {
      this.#current = undefined;
      outcome.fail(error);
      done.reject(error);
      finished.resolve();
    };
    this.#current = {
      take: message => {
        // Requests waiting on this thread go first; then the next piece is sent.
        setImmediate(() => port.postMessage('next'));
        try {
          switch (outcome.take(message)) {
            case 'done':
              this.#previous = outcome.loaded().model;
              done.resolve(outcome);
              return;
            case 'finished':
              this.#current = undefined;
              finished.resolve();
              return;
            default:
              return;
          }
        } catch (error) {
          fail(error as Error);
        }
      },
      fail,
    };
    port.postMessage(
      job.kind === 'analyze' ? { ...job, hasPrevious: outcome.hasPrevious } : job,
    );
    this.#finished = finished.promise.finally(() => port.unref());
    return done.promise;
  }
}
