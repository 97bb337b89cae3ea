import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { AnalysedModel, AnalysisRunner, LoadedModel } from './AnalysisRunner';
import { emptyExposure } from './entityExposure';
import { SerializedJson, serializeJson } from './serializedJson';

interface Loaded extends LoadedModel {
  revision: number;
}

/** How long a replica serves its in-memory model before checking the store for a newer one. */
const RECHECK_MS = 5_000;

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

  /** `GET /exposures`, serialized when the model was loaded. */
  async allExposures(): Promise<SerializedJson> {
    const loaded = await this.load();
    if (loaded) return loaded.allExposures;
    return serializeJson({ paths: [], entries: [], gateways: [], routes: [], costs: [] });
  }

  /** Stores a freshly analysed model and serves it. */
  async publish({ modelGz, ...loaded }: AnalysedModel) {
    const revision = await this.store.saveModel({
      generatedAt: loaded.model.generatedAt,
      modelGz,
    });
    this.serve(revision, loaded);
  }

  private serve(revision: number, loaded: LoadedModel) {
    // A newer revision may have been served meanwhile, e.g. by a refresh while reloading.
    if (!this.#loaded || this.#loaded.revision < revision) {
      this.#loaded = { ...loaded, revision };
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
          this.serve(latest.revision, await this.analysis.load(latest.modelGz));
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
