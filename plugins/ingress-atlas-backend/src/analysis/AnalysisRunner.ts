import { LoggerService } from '@backstage/backend-plugin-api';
import type { IncrementalRun } from '../engine/IncrementalAnalysis';
import { JobThread } from '../workers/JobThread';
import {
  ANALYSIS_JOB_MODULE,
  ExposuresRequest,
  AnalysisJob,
  AnalysisMessage,
  HeapMiB,
  isAcknowledged,
  ModelSummary,
  serveAnalysisJobs,
} from './analysisJob';
import type { ModelCostDay } from '../costHistory/costDay';
import type { ModelPart } from './ModelGzip';
import type { DerivedRequest } from '../views/derivedViews';
import { SerializedJson } from '../views/serializedJson';

/**
 * A model ready to serve, as the request thread holds it: its summary and each entity's view
 * serialized in advance. The model itself stays in the thread that runs the jobs, which writes
 * the bodies of the whole model from it when asked (see `allExposures`, `derived`).
 */
export interface LoadedModel {
  /** Which model the worker held: given by the runner, one after the other. */
  id: number;
  summary: ModelSummary;
  /** Each entity's view, by entity ref. */
  exposures: Map<string, SerializedJson>;
}

/**
 * What a model is analysed from, and the latest model revision stored when it was read: the
 * parts of the model analysed last are reused only while that model is still the latest.
 */
export type AnalysisInput = Omit<
  Extract<AnalysisJob, { kind: 'analyze' }>,
  'kind' | 'allParts'
> & { latestModelRevision?: number };

/** A new model: ready to serve, and compressed, ready to be stored. */
export interface AnalysedModel extends LoadedModel {
  /** Its parts, with the bytes of those not stored with the model before (see `ModelGzip`). */
  modelParts: ModelPart[];
  /** The clusters analysed again, of how many. */
  run?: IncrementalRun;
  /** What it costs, for the cost history. */
  costDay: ModelCostDay;
  /** The CPU time the analysis took on its thread, where Node.js tells it. */
  cpuMs?: number;
  /** The heap of the thread that holds the model, after the analysis. */
  heap?: HeapMiB;
}

/** Puts the pieces of a job's outcome back together. */
class Outcome {
  #summary?: ModelSummary;
  readonly #exposures = new Map<string, SerializedJson>();
  #done?: Extract<AnalysisMessage, { type: 'done' }>;
  #body?: SerializedJson[] | SerializedJson;

  /** Takes one message; true once the job is done. */
  take(message: AnalysisMessage): boolean {
    switch (message.type) {
      case 'summary':
        this.#summary = message.summary;
        return false;
      case 'exposures':
        for (const [entityRef, body] of message.exposures) {
          this.#exposures.set(entityRef, body);
        }
        return false;
      case 'done':
        this.#done = message;
        return true;
      case 'allExposures':
        this.#body = message.bodies;
        return true;
      case 'derived':
        this.#body = message.body;
        return true;
      default:
        return false;
    }
  }

  get done() {
    return this.#done;
  }

  get body() {
    return this.#body;
  }

  loaded(id: number): LoadedModel {
    return { id, summary: this.#summary!, exposures: this.#exposures };
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
  /**
   * The model the worker holds, which `exposures` and `derived` jobs write from: a job that
   * fails leaves it, as the worker keeps it.
   */
  #held?: LoadedModel;
  /** The clusters' inventories the worker holds, by cluster: their SHA-1s. */
  #inventories: ReadonlyMap<string, string> = new Map();
  /** The revision the model analysed last was stored as, if it was (see `stored`). */
  #storedAs?: number;
  /** Models loaded or analysed so far: the last one's id. */
  #models = 0;
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
        // A new worker starts with no model, and no inventories.
        this.#held = undefined;
        this.#inventories = new Map();
        this.#current?.fail(error);
      },
      logger: options.logger,
      useWorker: options.useWorker,
    });
  }

  /**
   * Analyses what `read` gives when this job's turn comes. `read` is told which clusters'
   * inventories the worker holds (cluster to SHA-1): a snapshot of one of those may come
   * without its bytes, so a change in one cluster sends the worker that one's only. The new
   * model's parts kept from the last one come without their bytes only when the last one is
   * still the latest stored (another replica's models may have replaced it, and the parts
   * it alone used are then gone).
   */
  async analyze(
    read: (held: ReadonlyMap<string, string>) => Promise<AnalysisInput>,
  ): Promise<AnalysedModel> {
    const outcome = await this.run(async () => {
      let held = this.#inventories;
      let given = await read(held);
      // The worker stopped while its input was read: the one that replaces it holds nothing.
      if (this.#inventories !== held) {
        held = this.#inventories;
        given = await read(held);
      }
      const { latestModelRevision, ...input } = given;
      // What the worker keeps of this job (see `withHeldInventories`).
      this.#inventories = new Map(
        input.snapshots.flatMap(({ descriptor: { name }, ...snapshot }) =>
          snapshot.inventorySha1 &&
          (snapshot.inventoryGz || held.get(name) === snapshot.inventorySha1)
            ? [[name, snapshot.inventorySha1]]
            : [],
        ),
      );
      const allParts =
        this.#storedAs === undefined || this.#storedAs !== latestModelRevision;
      return { kind: 'analyze', ...input, allParts };
    }).catch(error => {
      // What the worker kept of a failed job is not known: the next one sends every inventory.
      this.#inventories = new Map();
      throw error;
    });
    const { modelParts, run, costDay, cpuMs, heap } = outcome.done!;
    // Unless told it was stored, the next model comes with all its parts' bytes.
    this.#storedAs = undefined;
    return {
      ...this.#hold(outcome),
      modelParts: modelParts!,
      run,
      costDay: costDay!,
      cpuMs,
      heap,
    };
  }

  async load(modelParts: Array<Required<ModelPart>>): Promise<LoadedModel> {
    return this.#hold(await this.run({ kind: 'load', modelParts }));
  }

  /**
   * Told once the model analysed last is stored, as `revision`: the next one's parts kept
   * from it then come without their bytes, while it is the latest stored.
   */
  stored(model: AnalysedModel, revision: number) {
    if (this.holds(model)) this.#storedAs = revision;
  }

  /** Whether the worker holds `model` (it may have been replaced, or the worker restarted). */
  holds(model: LoadedModel): boolean {
    return this.#held?.id === model.id;
  }

  /** Whether the worker holds a model at all (none after it restarted). */
  holdsAny(): boolean {
    return this.#held !== undefined;
  }

  /**
   * `GET /exposures` of `model` as `request` asks (the whole body, or its pages), written when
   * first asked for rather than at every publication. Undefined when the worker no longer
   * holds `model`.
   */
  async allExposures(
    model: LoadedModel,
    request: ExposuresRequest,
  ): Promise<SerializedJson[] | undefined> {
    return (await this.#write(model, { kind: 'exposures', request })) as
      | SerializedJson[]
      | undefined;
  }

  /** A view of `model` (see `buildDerived`); undefined when the worker no longer holds it. */
  async derived(
    model: LoadedModel,
    request: DerivedRequest,
  ): Promise<SerializedJson | undefined> {
    return (await this.#write(model, { kind: 'derived', request })) as
      | SerializedJson
      | undefined;
  }

  async #write(model: LoadedModel, job: AnalysisJob) {
    let current = false;
    const outcome = await this.run(job, () => {
      current = this.holds(model);
      return current;
    });
    return current ? outcome?.body : undefined;
  }

  #hold(outcome: Outcome): LoadedModel {
    this.#models += 1;
    this.#held = outcome.loaded(this.#models);
    return this.#held;
  }

  /** Stops the worker, e.g. when the backend shuts down. */
  async stop() {
    await this.#thread.stop();
  }

  /**
   * Queues `job` (or what makes it, when its turn comes); one that is not `wanted` any more
   * when its turn comes does not run.
   */
  private run(
    job: AnalysisJob | (() => Promise<AnalysisJob>),
  ): Promise<Outcome>;
  private run(
    job: AnalysisJob,
    wanted: () => boolean,
  ): Promise<Outcome | undefined>;
  private run(
    job: AnalysisJob | (() => Promise<AnalysisJob>),
    wanted = () => true,
  ): Promise<Outcome | undefined> {
    const result = this.#queue.then(async () => {
      if (!wanted()) return undefined;
      return this.runNow(typeof job === 'function' ? await job() : job);
    });
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
    const outcome = new Outcome();
    return new Promise<Outcome>((resolve, reject) => {
      this.#current = {
        take: message => {
          // Requests waiting on this thread go first; then the next piece is sent.
          if (isAcknowledged(message))
            setImmediate(() => port.postMessage('next'));
          try {
            if (outcome.take(message)) {
              this.#current = undefined;
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
      port.postMessage(job);
    }).finally(() => port.unref());
  }
}
