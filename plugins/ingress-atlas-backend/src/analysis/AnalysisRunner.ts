import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import type { IncrementalRun } from '../engine/IncrementalAnalysis';
import { JobThread } from '../workers/JobThread';
import {
  ANALYSIS_JOB_MODULE,
  AllExposures,
  AnalysisJob,
  AnalysisMessage,
  isAcknowledged,
  serveAnalysisJobs,
} from './analysisJob';
import { SerializedJson } from '../views/serializedJson';

/** A model ready to serve: the model itself and each entity's view serialized in advance. */
export interface LoadedModel {
  model: AtlasModel;
  /** Each entity's view, by entity ref. */
  exposures: Map<string, SerializedJson>;
}

/** A new model: ready to serve, and compressed, ready to be stored. */
export interface AnalysedModel extends LoadedModel {
  modelGz: Uint8Array;
  /** The clusters analysed again, of how many. */
  run?: IncrementalRun;
}

/**
 * Puts the pieces of a job's outcome back together; the items the job kept from the model
 * sent before come from `previous`.
 */
class Outcome {
  readonly #model: Record<string, any> = {};
  readonly #exposures = new Map<string, SerializedJson>();
  #done?: Extract<AnalysisMessage, { type: 'done' }>;
  #allExposures?: AllExposures;

  constructor(private readonly previous?: AtlasModel) {}

  get hasPrevious() {
    return this.previous !== undefined;
  }

  /** Takes one message; true once the job is done. */
  take(message: AnalysisMessage): boolean {
    switch (message.type) {
      case 'model':
        this.#model[message.field] = message.value;
        return false;
      case 'items':
        for (const item of JSON.parse(message.json)) this.#model[message.field].push(item);
        return false;
      case 'kept': {
        const items = this.previous?.[message.field];
        if (!Array.isArray(items)) {
          throw new Error(`Items of ${message.field} kept from a model this thread does not have`);
        }
        const { start, count } = message;
        for (let i = start; i < start + count; i++) this.#model[message.field].push(items[i]);
        return false;
      }
      case 'exposures':
        for (const [entityRef, body] of message.exposures) {
          this.#exposures.set(entityRef, body);
        }
        return false;
      case 'done':
        this.#done = message;
        return true;
      case 'allExposures':
        this.#allExposures = message.allExposures;
        return true;
      default:
        return false;
    }
  }

  get modelGz() {
    return this.#done?.modelGz;
  }

  get run() {
    return this.#done?.run;
  }

  get allExposures() {
    return this.#allExposures!;
  }

  loaded(): LoadedModel {
    return { model: this.#model as AtlasModel, exposures: this.#exposures };
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
  /** The model of the last job that succeeded: the worker sends only what changed since. */
  #previous?: AtlasModel;
  /**
   * The model the worker holds as sent last, whole, which `exposures` jobs write from: a job
   * that fails leaves it, as the worker keeps it.
   */
  #served?: AtlasModel;
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
        this.#served = undefined;
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

  /**
   * `GET /exposures` of `model`, whole and in pages, written when first asked for rather than
   * at every publication. The worker writes it from the model it sent last: undefined when
   * that is no longer `model` (a newer one was analysed or loaded meanwhile).
   */
  async allExposures(model: AtlasModel): Promise<AllExposures | undefined> {
    let current = false;
    const outcome = await this.run({ kind: 'exposures' }, () => {
      current = this.#served === model;
      return current;
    });
    return current ? outcome?.allExposures : undefined;
  }

  /** Stops the worker, e.g. when the backend shuts down. */
  async stop() {
    await this.#thread.stop();
  }

  /** Queues `job`; one that is not `wanted` any more when its turn comes does not run. */
  private run(job: AnalysisJob): Promise<Outcome>;
  private run(job: AnalysisJob, wanted: () => boolean): Promise<Outcome | undefined>;
  private run(job: AnalysisJob, wanted = () => true): Promise<Outcome | undefined> {
    const result = this.#queue.then(() => (wanted() ? this.runNow(job) : undefined));
    // The queue must not hold on to an outcome (a whole model) once it is handed over.
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async runNow(job: AnalysisJob): Promise<Outcome> {
    const port = await this.#thread.port();
    // Held open while it works, not while it idles.
    port.ref();
    // The model the worker sends from here on replaces the one it sent last, unless the job
    // only writes what it already has.
    const replacesModel = job.kind !== 'exposures';
    const outcome = new Outcome(this.#previous);
    if (replacesModel) this.#previous = undefined;
    return new Promise<Outcome>((resolve, reject) => {
      this.#current = {
        take: message => {
          // Requests waiting on this thread go first; then the next piece is sent.
          if (isAcknowledged(message)) setImmediate(() => port.postMessage('next'));
          try {
            if (outcome.take(message)) {
              this.#current = undefined;
              if (replacesModel) {
                this.#previous = outcome.loaded().model;
                this.#served = this.#previous;
              }
              resolve(outcome);
            }
          } catch (error) {
            this.#current = undefined;
            reject(error);
          }
        },
        fail: error => {
          this.#current = undefined;
          reject(error);
        },
      };
      port.postMessage(
        job.kind === 'analyze' ? { ...job, hasPrevious: outcome.hasPrevious } : job,
      );
    }).finally(() => port.unref());
  }
}
