import { LoggerService } from '@backstage/backend-plugin-api';
import { SnapshotStore, SourceError } from '../snapshots/SnapshotStore';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AnalysedModel,
  AnalysisRunner,
  LoadedModel,
} from '../analysis/AnalysisRunner';
import type { ModelSummary } from '../analysis/analysisJob';
import { emptyExposure } from '../analysis/entityExposure';
import { SerializedJson, serializeJson } from './serializedJson';
import { DerivedRequest, buildDerived, derivedKey } from './derivedViews';

interface Loaded extends LoadedModel {
  revision: number;
  /** The cluster sources that failed in the refresh that made the model. */
  sourceErrors: SourceError[];
}

/** Tries at a body of the whole served model while newer ones keep replacing it. */
const WRITE_TRIES = 5;
const WRITE_RETRY_MS = 200;

/**
 * How long a replica serves its in-memory model before checking the store for a newer one (a
 * query of the latest revision's number, two a second while views are asked for): replicas
 * show a publication within half a second of each other, plus the time to load it.
 */
const RECHECK_MS = 500;

/** Bodies of one model revision kept at once (a body per route, variant and query). */
const BODIES_KEPT = 200;

/**
 * A body nobody asked for in this long is dropped: those of the whole model are large (tens
 * of MiB at a hundred clusters), and readers such as the catalog provider ask every few minutes.
 */
const BODY_IDLE_MS = 60_000;

/**
 * Serves the analysed model from the store. Requests never touch clusters: they read each
 * entity's view of the latest stored model, serialized in advance, re-checked against the
 * store every half second so that every backend replica follows the one that refreshed.
 * Bodies of the whole model (topology, findings, cost, `GET /exposures`) are written by the
 * analysis worker, which holds the model, when first asked for, and kept for the revision
 * while asked for.
 */
export class AtlasModelService {
  static create(options: {
    store: SnapshotStore;
    analysis: AnalysisRunner;
    logger: LoggerService;
    /** How long a body of the whole model nobody asks for is kept; a minute by default. */
    bodyIdleMs?: number;
  }) {
    return new AtlasModelService(
      options.store,
      options.analysis,
      options.logger,
      options.bodyIdleMs ?? BODY_IDLE_MS,
    );
  }

  #loaded?: Loaded;
  /** Bodies of the whole model written for one revision, by key (see `written`). */
  #bodies = {
    revision: -1,
    kept: new Map<string, { body: Promise<unknown>; usedAt: number }>(),
  };
  #sweep?: NodeJS.Timeout;
  #checkedAt = 0;
  #pending?: Promise<void>;

  private constructor(
    private readonly store: SnapshotStore,
    private readonly analysis: AnalysisRunner,
    private readonly logger: LoggerService,
    private readonly bodyIdleMs: number,
  ) {}

  /** The latest model's time, clusters and counts; undefined before the first refresh. */
  async summary(): Promise<ModelSummary | undefined> {
    return (await this.load())?.summary;
  }

  /** The entity's view as a response body, serialized when the model was published. */
  async entityExposure(entityRef: string): Promise<SerializedJson> {
    const loaded = await this.load();
    return (
      loaded?.exposures.get(entityRef) ??
      serializeJson(emptyExposure(entityRef, loaded?.summary.generatedAt))
    );
  }

  /**
   * `GET /exposures`, whole or one page of it (`page`, from 0), with or without the account's
   * idle and orphaned cloud resources (see `withoutAccountInventory`), written by the analysis
   * worker when first asked for (see `written`). Undefined for a page the model does not have.
   */
  async allExposures(options: {
    accountInventory: boolean;
    page?: number;
  }): Promise<SerializedJson | undefined> {
    const { accountInventory, page } = options;
    const paged = page !== undefined;
    const bodies = await this.written(
      `exposures:${accountInventory}:${paged}`,
      loaded => this.analysis.allExposures(loaded, { accountInventory, paged }),
    );
    if (!bodies) {
      const empty = {
        paths: [],
        entries: [],
        gateways: [],
        routes: [],
        costs: [],
      };
      if (!paged) return serializeJson(empty);
      return page === 0
        ? serializeJson({ ...empty, page: 0, pages: 1 })
        : undefined;
    }
    return bodies[page ?? 0];
  }

  /**
   * A view of the served model (topology, findings, cost) as a reader sees it, written once
   * per model revision and request (route, query, variant), then served as is.
   */
  async derived(request: DerivedRequest): Promise<SerializedJson> {
    const body = await this.written(`derived:${derivedKey(request)}`, loaded =>
      this.analysis.derived(loaded, request),
    );
    return body ?? serializeJson(buildDerived(undefined, request));
  }

  /**
   * A body the analysis worker writes from the served model, by `key`: undefined before the
   * first model. Written once per revision, however many ask at once (a page opened by a
   * team), and kept until the revision changes or nobody has asked for it for
   * `bodyIdleMs`. When the worker does not hold the model served, asks again: after a
   * moment when it holds a newer one (about to be served), else (it restarted and holds none,
   * or the newer one was not stored) after loading the latest stored model into it.
   */
  private async written<T>(
    key: string,
    write: (loaded: Loaded) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    for (let attempt = 1; attempt <= WRITE_TRIES; attempt++) {
      const loaded = await this.load();
      if (!loaded) return undefined;
      const body = (await this.#kept(loaded.revision, key, () =>
        write(loaded),
      )) as T | undefined;
      if (body !== undefined) return body;
      if (attempt === 1 && this.analysis.holdsAny()) {
        await new Promise(resolve => setTimeout(resolve, WRITE_RETRY_MS));
      } else {
        await this.reload({ always: true });
      }
    }
    throw new ServiceUnavailableError(
      'The model kept changing while the answer was written; ask again',
    );
  }

  /** The body kept for `key` of `revision`, else the one `write` starts (and is kept). */
  #kept(
    revision: number,
    key: string,
    write: () => Promise<unknown>,
  ): Promise<unknown> {
    if (this.#bodies.revision !== revision) {
      this.#bodies = { revision, kept: new Map() };
    }
    const { kept } = this.#bodies;
    let entry = kept.get(key);
    if (!entry) {
      if (kept.size >= BODIES_KEPT) kept.delete(kept.keys().next().value!);
      const body = write().then(
        written => {
          if (written === undefined) kept.delete(key);
          return written;
        },
        error => {
          kept.delete(key);
          throw error;
        },
      );
      entry = { body, usedAt: 0 };
      kept.set(key, entry);
      this.#sweepLater();
    }
    entry.usedAt = Date.now();
    return entry.body;
  }

  /** Drops, while any body is kept, those nobody asked for within `bodyIdleMs`. */
  #sweepLater() {
    if (this.#sweep) return;
    this.#sweep = setInterval(() => {
      const { kept } = this.#bodies;
      for (const [key, { usedAt }] of kept) {
        if (Date.now() - usedAt > this.bodyIdleMs) kept.delete(key);
      }
      if (kept.size === 0) {
        clearInterval(this.#sweep);
        this.#sweep = undefined;
      }
    }, this.bodyIdleMs / 2);
    this.#sweep.unref();
  }

  /** The cluster sources that failed in the refresh that made the latest model. */
  async sourceErrors(): Promise<SourceError[]> {
    return (await this.load())?.sourceErrors ?? [];
  }

  /** Stores a freshly analysed model, with the sources that failed, and serves it. */
  async publish(analysed: AnalysedModel, sourceErrors: SourceError[]) {
    const { id, summary, exposures, modelParts } = analysed;
    const revision = await this.store.saveModel({
      generatedAt: summary.generatedAt,
      parts: modelParts,
      sourceErrors,
    });
    this.analysis.stored(analysed, revision);
    this.serve({ id, summary, exposures, revision, sourceErrors });
  }

  private serve(loaded: Loaded) {
    // A newer revision may have been served meanwhile, e.g. by a refresh while reloading.
    if (!this.#loaded || this.#loaded.revision <= loaded.revision) {
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

  /** Serves the latest stored model if newer than the one served (`always`: in any case). */
  private async reload(options: { always?: boolean } = {}) {
    try {
      const revision = await this.store.latestModelRevision();
      if (
        revision !== undefined &&
        (options.always || revision !== this.#loaded?.revision)
      ) {
        const latest = await this.store.latestModel();
        if (latest) {
          this.serve({
            ...(await this.analysis.load(latest.modelParts)),
            revision: latest.revision,
            sourceErrors: latest.sourceErrors,
          });
        }
      }
    } catch (error) {
      this.logger.warn('Reading the stored model failed', {
        error: (error as Error).message,
      });
    } finally {
      // A model that cannot be read is tried again at the next check, not at every request.
      this.#checkedAt = Date.now();
    }
  }
}
