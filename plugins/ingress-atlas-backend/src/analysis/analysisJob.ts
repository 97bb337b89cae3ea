import {
  AtlasModel,
  ExposuresResponse,
  exposuresPages,
  PriceCatalogue,
  withoutAccountInventory,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { MessagePort } from 'node:worker_threads';
import type { CatalogEntityLite, GatewayTraffic } from '../engine';
import {
  IncrementalAnalysis,
  IncrementalRun,
} from '../engine/IncrementalAnalysis';
import { gunzipJsonSync } from '../inventory/compression';
import { MODEL_LIST_ORDER, ModelList } from '../engine/order';
import { ModelGzip } from './ModelGzip';
import type { StoredClusterSnapshot } from '../snapshots/SnapshotStore';
import { buildModel } from './buildModel';
import { indexByEntity } from './entityExposure';
import {
  SerializedJson,
  serializeGzippedJson,
  serializeJson,
} from '../views/serializedJson';
import { setWorkerThreadPriority } from '../workers/JobThread';

/**
 * This module's file, for a worker thread to load: `src/...ts` when running from source,
 * `dist/...cjs.js` once built.
 */
export const ANALYSIS_JOB_MODULE = __filename;

/**
 * `analyze`: stored snapshots into a new model, to be stored (compressed) and served.
 * `load`: a stored model, to be served.
 * Serving takes the model itself, sent in pieces, and the responses that are the same for
 * every caller, serialized.
 */
export type AnalysisJob =
  | {
      kind: 'analyze';
      snapshots: StoredClusterSnapshot[];
      clouds: CloudInventory[];
      prices: PriceCatalogue;
      entities: CatalogEntityLite[];
      /** What the mesh's gateways sent, when Prometheus is configured. */
      gatewayTraffic?: GatewayTraffic[];
      now: string;
      /** Whether the receiver holds the model this thread sent last (see `serve`). */
      hasPrevious?: boolean;
    }
  | { kind: 'load'; modelGz: Uint8Array }
  /** `GET /exposures` of the model this thread sent last. */
  | { kind: 'exposures' };

type ModelField = keyof AtlasModel;

/** `GET /exposures` as one reader sees it: whole, and in pages (`?page=N`). */
export interface ExposuresBodies {
  whole: SerializedJson;
  pages: SerializedJson[];
}

/**
 * `GET /exposures` as readers with and without `ingress-atlas.cloud-inventory.read` see it
 * (the latter without idle and orphaned cloud resources' costs).
 */
export interface AllExposures {
  withAccountInventory: ExposuresBodies;
  withoutAccountInventory: ExposuresBodies;
}

export type AnalysisMessage =
  | { type: 'ready' }
  | { type: 'model'; field: ModelField; value: unknown }
  /** JSON text: parsed, it takes less than half the memory of a structured clone. */
  | { type: 'items'; field: ModelField; json: string }
  /** Items `start` to `start + count` of the field of the model sent before, in order. */
  | { type: 'kept'; field: ModelField; start: number; count: number }
  | {
      type: 'exposures';
      exposures: Array<[entityRef: string, body: SerializedJson]>;
    }
  | {
      type: 'done';
      modelGz?: Uint8Array;
      /** What an analysis analysed again. */
      run?: IncrementalRun;
    }
  | { type: 'allExposures'; allExposures: AllExposures }
  | { type: 'error'; message: string; stack?: string };

/**
 * Sends one message. One the receiver takes time over (JSON to parse, bodies to keep)
 * resolves once the receiver is ready for the next; the others at once: each wait is a trip
 * through the receiver's event loop, long on a busy backend.
 */
export type Post = (message: AnalysisMessage) => Promise<void>;

/** Whether the receiver acknowledges `message` ('next') once it has taken it. */
export function isAcknowledged(message: AnalysisMessage): boolean {
  return message.type === 'items' || message.type === 'exposures';
}

// Pieces small enough to be taken in without holding the receiver's event loop for long.
const ITEMS_PER_MESSAGE = 150;
const EXPOSURES_PER_MESSAGE = 50;

/**
 * What the thread that runs jobs keeps from one job to the next: the engine, which analyses
 * again only the clusters whose snapshots changed, the model it last sent whole (see `kept`),
 * and the compressed runs of that model's items.
 */
export interface AnalysisThreadState {
  engine: IncrementalAnalysis;
  gzip: ModelGzip;
  sent?: AtlasModel;
  /**
   * The model this thread sent last, whole: what an `exposures` job writes. Kept until another
   * one is wholly sent, so that a failed job leaves the model being served with its body.
   */
  model?: AtlasModel;
}

/** Runs one job; `state` is the thread's, kept from job to job. */
export async function runAnalysisJob(
  job: AnalysisJob,
  post: Post,
  state: AnalysisThreadState,
): Promise<void> {
  // A stored model loads below the requests' priority; `GET /exposures` is written at theirs:
  // a watched change's publication waits for it to finish.
  setWorkerThreadPriority(job.kind === 'load' ? 'below-normal' : 'normal');
  if (job.kind === 'exposures') {
    if (!state.model) throw new Error('No model to write GET /exposures of');
    await post({
      type: 'allExposures',
      allExposures: await allExposures(state.model),
    });
    return;
  }
  const previous = state.sent;
  // Until this job's model is wholly sent, the receiver has no model both sides know.
  state.sent = undefined;
  if (job.kind === 'load') {
    // A stored model shares no item with the last one: nothing to keep track of.
    const model = gunzipJsonSync<AtlasModel>(job.modelGz);
    await serve(model, post, {
      sent: () => {
        state.model = model;
      },
    });
    return;
  }
  const model = buildModel(
    { ...job, now: new Date(job.now) },
    state.engine,
    (clusters, of) =>
      // A watched change (a few clusters analysed again) is published at the priority of the
      // requests, so that it shows within seconds under load; whole analyses stay below it.
      setWorkerThreadPriority(clusters * 2 < of ? 'normal' : 'below-normal'),
  );
  job.snapshots = [];
  // Compressed (on the thread pool, mostly) while the pieces are sent; awaited after them, so
  // that a failure to send is the one reported.
  const modelGz = state.gzip.gzip(model);
  modelGz.catch(() => undefined);
  await serve(model, post, {
    modelGz,
    previous: job.hasPrevious ? previous : undefined,
    run: state.engine.lastRun,
    // Known to the receiver once it has taken 'done'.
    sent: () => {
      state.sent = model;
      state.model = model;
    },
  });
}

/**
 * Sends the model in pieces. Items of `previous` (the model last sent) that the new one
 * still has are sent as runs of their indexes there (`kept`), not as JSON: the receiver takes
 * them from the model it has. An item is still there when the engine carried it over (the
 * same object) or made it again the same (the same id and JSON): a cluster analysed again
 * after a change sends only the items the change changed. Both models' lists are in the
 * engine's order, so they are compared side by side, in one pass.
 */
async function serve(
  model: AtlasModel,
  post: Post,
  options: {
    modelGz?: Promise<Uint8Array>;
    previous?: AtlasModel;
    run?: IncrementalRun;
    sent?: () => void;
  } = {},
): Promise<void> {
  const { modelGz, previous, run } = options;
  for (const [field, value] of Object.entries(model) as Array<
    [ModelField, unknown]
  >) {
    if (!Array.isArray(value)) {
      await post({ type: 'model', field, value });
      continue;
    }
    await post({ type: 'model', field, value: [] });
    const before = previous?.[field];
    const order = MODEL_LIST_ORDER[field as ModelList];
    let p = 0;
    /** Where `item` stands in the list sent before, if it is there. */
    const indexBefore = (item: unknown): number | undefined => {
      if (!Array.isArray(before)) return undefined;
      while (
        p < before.length &&
        before[p] !== item &&
        order(before[p], item) < 0
      )
        p++;
      if (p === before.length) return undefined;
      const candidate = before[p];
      if (
        candidate === item ||
        (order(candidate, item) === 0 &&
          JSON.stringify(candidate) === JSON.stringify(item))
      ) {
        return p++;
      }
      return undefined;
    };
    let added: unknown[] = [];
    let kept: { start: number; count: number } | undefined;
    const sendAdded = async () => {
      if (added.length === 0) return;
      await post({ type: 'items', field, json: JSON.stringify(added) });
      added = [];
    };
    const sendKept = async () => {
      if (!kept) return;
      await post({ type: 'kept', field, ...kept });
      kept = undefined;
    };
    for (const item of value) {
      const at = indexBefore(item);
      if (at === undefined) {
        await sendKept();
        added.push(item);
        if (added.length === ITEMS_PER_MESSAGE) await sendAdded();
      } else if (kept && kept.start + kept.count === at) {
        kept.count += 1;
      } else {
        await sendAdded();
        await sendKept();
        kept = { start: at, count: 1 };
      }
    }
    await sendAdded();
    await sendKept();
  }

  let batch: Array<[string, SerializedJson]> = [];
  for (const [entityRef, exposure] of indexByEntity(model)) {
    batch.push([entityRef, serializeJson(exposure)]);
    if (batch.length === EXPOSURES_PER_MESSAGE) {
      await post({ type: 'exposures', exposures: batch });
      batch = [];
    }
  }
  if (batch.length) await post({ type: 'exposures', exposures: batch });

  // The model and each entity's view are ready: the receiver serves them from here on.
  options.sent?.();
  await post({ type: 'done', modelGz: await modelGz, run });
}

/**
 * The bodies of `GET /exposures`, whole and in pages, for readers with and without the
 * account's inventory: long to write at fleet scale, so written when asked for.
 */
async function allExposures(model: AtlasModel): Promise<AllExposures> {
  const { generatedAt, paths, entries, gateways, routes, costs } = model;
  const body: ExposuresResponse = {
    generatedAt,
    paths,
    entries,
    gateways,
    routes,
    costs,
  };
  return {
    withAccountInventory: await exposuresBodies(body),
    withoutAccountInventory: await exposuresBodies(
      withoutAccountInventory(body),
    ),
  };
}

async function exposuresBodies(
  body: ExposuresResponse,
): Promise<ExposuresBodies> {
  const pages = [];
  for (const page of exposuresPages(body)) {
    pages.push(await serializeGzippedJson(page));
  }
  return { whole: await serializeGzippedJson(body), pages };
}

/**
 * The side that runs jobs (a worker thread, or this thread as a fallback): runs the jobs sent
 * to `port`, one at a time, and reports each one's outcome there.
 */
export function serveAnalysisJobs(port: MessagePort) {
  const state: AnalysisThreadState = {
    engine: new IncrementalAnalysis(),
    gzip: new ModelGzip(),
  };
  const waiting: Array<() => void> = [];
  const post: Post = async message => {
    if (!isAcknowledged(message)) {
      port.postMessage(message);
      return;
    }
    await new Promise<void>(resolve => {
      waiting.push(resolve);
      port.postMessage(message);
    });
  };
  port.on('message', message => {
    if (message === 'next') {
      waiting.shift()?.();
      return;
    }
    runAnalysisJob(message as AnalysisJob, post, state).catch((error: Error) =>
      port.postMessage({
        type: 'error',
        message: error.message,
        stack: error.stack,
      } satisfies AnalysisMessage),
    );
  });
  port.postMessage({ type: 'ready' } satisfies AnalysisMessage);
}
