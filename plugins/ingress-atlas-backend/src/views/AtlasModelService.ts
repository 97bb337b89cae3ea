import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { SnapshotStore, SourceError } from '../snapshots/SnapshotStore';
import { ServiceUnavailableError } from '@backstage/errors';
import { AnalysedModel, AnalysisRunner, LoadedModel } from '../analysis/AnalysisRunner';
import type { AllExposures } from '../analysis/analysisJob';
import { emptyExposure } from '../analysis/entityExposure';
import { SerializedJson, serializeJson } from './serializedJson';

interface Loaded extends LoadedModel {
  revision: number;
  /** The cluster sources that failed in the refresh that made the model. */
  sourceErrors: SourceError[];
  /** `GET /exposures`, once asked for. */
  allExposures?: Promise<AllExposures | undefined>;
}

/** Tries at `GET /exposures` of the served model while newer ones keep replacing it. */
const EXPOSURES_TRIES = 5;
const EXPOSURES_RETRY_MS = 200;

/**
 * How long a replica serves its in-memory model before checking the store for a newer one (a
 * query of the latest revision's number): replicas show a publication within about a second
 * of each other, plus the time to load it.
 */
const RECHECK_MS = 1_000;

/** Bodies derived from one model revision kept at once (a body per route, variant and query). */
const DERIVED_KEPT = 200;

/**
 * Serves the analysed model from the store. Requests never touch clusters: they read an
 * in-memory copy of the latest stored model, with each entity's view serialized in advance,
 * re-checked against the store every few seconds so that every backend replica follows the
 * one that refreshed.
 */
export class AtlasModelService {
  static create(options: {
    store: SnapshotStore;
    analysis: AnalysisRunner;
    logger: LoggerService;
  }) {
    return new AtlasModelService(options.store, options.analysis, options.logger);
  }

  #loaded?: Loaded;
  #derived = { revision: -1, bodies: new Map<string, SerializedJson>() };
  #checkedAt = 0;
  #pending?: Promise<void>;

  private constructor(
    private readonly store: SnapshotStore,
    private readonly analysis: AnalysisRunner,
    private readonly logger: LoggerService,
  ) {}

  /** The latest model, or undefined before the first refresh has finished. */
  async model(): Promise<AtlasModel | undefined> {
    return (await this.load())?.model;
  }

  /** The entity's view as a response body, serialized when the model was published. */
  async entityExposure(entityRef: string): Promise<SerializedJson> {
    const loaded = await this.load();
    return (
      loaded?.exposures.get(entityRef) ??
      serializeJson(emptyExposure(entityRef, loaded?.model.generatedAt))
    );
  }

  /**
   * `GET /exposures`, whole or one page of it (`page`, from 0), serialized when the model was
   * published, with or without the account's idle and orphaned cloud resources (see
   * `withoutAccountInventory`). Undefined for a page the model does not have.
   */
  async allExposures(options: {
    accountInventory: boolean;
    page?: number;
  }): Promise<SerializedJson | undefined> {
    for (let attempt = 1; attempt <= EXPOSURES_TRIES; attempt++) {
      const loaded = await this.load();
      if (!loaded) {
        const empty = { paths: [], entries: [], gateways: [], routes: [], costs: [] };
        if (options.page === undefined) return serializeJson(empty);
        return options.page === 0 ? serializeJson({ ...empty, page: 0, pages: 1 }) : undefined;
      }
      loaded.allExposures ??= this.analysis.allExposures(loaded.model);
      const all = await loaded.allExposures.catch(error => {
        loaded.allExposures = undefined;
        throw error;
      });
      if (all) {
        const bodies = options.accountInventory
          ? all.withAccountInventory
          : all.withoutAccountInventory;
        return options.page === undefined ? bodies.whole : bodies.pages[options.page];
      }
      // A newer model was analysed meanwhile: it is about to be served; ask for that one.
      loaded.allExposures = undefined;
      await new Promise(resolve => setTimeout(resolve, EXPOSURES_RETRY_MS));
    }
    throw new ServiceUnavailableError(
      'The model kept changing while GET /exposures was written; ask again',
    );
  }

  /**
   * A body derived from the served model (topology, findings, cost), built and serialized
   * once per model revision and `key` (route, variant, query), then served as is: readers of
   * the whole model do not build it again on the request thread for every request.
   */
  async derived(
    key: string,
    build: (model: AtlasModel | undefined) => unknown,
  ): Promise<SerializedJson> {
    const loaded = await this.load();
    const revision = loaded?.revision ?? 0;
    if (this.#derived.revision !== revision) {
      this.#derived = { revision, bodies: new Map() };
    }
    const { bodies } = this.#derived;
    let body = bodies.get(key);
    if (!body) {
      body = serializeJson(build(loaded?.model));
      if (bodies.size >= DERIVED_KEPT) bodies.delete(bodies.keys().next().value!);
      bodies.set(key, body);
    }
    return body;
  }

  /** The cluster sources that failed in the refresh that made the latest model. */
  async sourceErrors(): Promise<SourceError[]> {
    return (await this.load())?.sourceErrors ?? [];
  }

  /** Stores a freshly analysed model, with the sources that failed, and serves it. */
  async publish({ modelGz, ...loaded }: AnalysedModel, sourceErrors: SourceError[]) {
    const revision = await this.store.saveModel({
      generatedAt: loaded.model.generatedAt,
      modelGz,
      sourceErrors,
    });
    this.serve({ ...loaded, revision, sourceErrors });
  }

  private serve(loaded: Loaded) {
    // A newer revision may have been served meanwhile, e.g. by a refresh while reloading.
    if (!this.#loaded || this.#loaded.revision < loaded.revision) {
      this.#loaded = loaded;
      this.#checkedAt = Date.now();
    }
  }

  private async load(): Promise<Loaded | undefined> {
    if (Date.now() - this.#checkedAt > RECHECK_MS) {
      this.#pending ??= this.reload().finally(() => {
        this.#pending = undefined;
      });
      // The first load must wait; later ones serve the copy in hand while checking.
      if (!this.#loaded) await this.#pending;
    }
    return this.#loaded;
  }

  private async reload() {
    try {
      const revision = await this.store.latestModelRevision();
      if (revision !== undefined && revision !== this.#loaded?.revision) {
        const latest = await this.store.latestModel();
        if (latest) {
          this.serve({
            ...(await this.analysis.load(latest.modelGz)),
            revision: latest.revision,
            sourceErrors: latest.sourceErrors,
          });
        }
      }
      this.#checkedAt = Date.now();
    } catch (error) {
      this.logger.warn('Reading the stored model failed', {
        error: (error as Error).message,
      });
    }
  }
}
