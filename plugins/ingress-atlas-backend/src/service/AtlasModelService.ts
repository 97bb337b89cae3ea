import { LoggerService } from '@backstage/backend-plugin-api';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { EntityExposure, emptyExposure, indexByEntity } from './entityExposure';

interface Loaded {
  revision: number;
  model: AtlasModel;
  byEntity: Map<string, EntityExposure>;
}

/** How long a replica serves its in-memory model before checking the store for a newer one. */
const RECHECK_MS = 5_000;

/**
 * Serves the analysed model from the store. Requests never touch clusters: they read an
 * in-memory copy of the latest stored model, re-checked against the store every few seconds
 * so that every backend replica follows the one that refreshed.
 */
export class AtlasModelService {
  static create(options: { store: SnapshotStore; logger: LoggerService }) {
    return new AtlasModelService(options.store, options.logger);
  }

  #loaded?: Loaded;
  #checkedAt = 0;
  #pending?: Promise<void>;

  private constructor(
    private readonly store: SnapshotStore,
    private readonly logger: LoggerService,
  ) {}

  /** The latest model, or undefined before the first refresh has finished. */
  async model(): Promise<AtlasModel | undefined> {
    return (await this.load())?.model;
  }

  async entityExposure(entityRef: string): Promise<EntityExposure> {
    const loaded = await this.load();
    return (
      loaded?.byEntity.get(entityRef) ??
      emptyExposure(entityRef, loaded?.model.generatedAt)
    );
  }

  /** Stores a freshly built model and serves it at once. */
  async publish(model: AtlasModel) {
    const revision = await this.store.saveModel(model);
    this.#loaded = { revision, model, byEntity: indexByEntity(model) };
    this.#checkedAt = Date.now();
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
          this.#loaded = { ...latest, byEntity: indexByEntity(latest.model) };
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
