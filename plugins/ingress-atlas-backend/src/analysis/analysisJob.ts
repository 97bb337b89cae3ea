import {
  AtlasModel,
  ExposuresResponse,
  PriceCatalogue,
  withoutAccountInventory,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { MessagePort } from 'node:worker_threads';
import type { CatalogEntityLite, GatewayTraffic } from '../engine';
import { gunzipJsonSync, gzipJson } from '../inventory/compression';
import type { StoredClusterSnapshot } from '../snapshots/SnapshotStore';
import { buildModel } from './buildModel';
import { indexByEntity } from './entityExposure';
import { SerializedJson, serializeGzippedJson, serializeJson } from '../views/serializedJson';

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
    }
  | { kind: 'load'; modelGz: Uint8Array };

type ModelField = keyof AtlasModel;

/**
 * `GET /exposures` as readers with and without `ingress-atlas.cloud-inventory.read` see it
 * (the latter without idle and orphaned cloud resources' costs).
 */
export interface AllExposures {
  withAccountInventory: SerializedJson;
  withoutAccountInventory: SerializedJson;
}

export type AnalysisMessage =
  | { type: 'ready' }
  | { type: 'model'; field: ModelField; value: unknown }
  /** JSON text: parsed, it takes less than half the memory of a structured clone. */
  | { type: 'items'; field: ModelField; json: string }
  | { type: 'exposures'; exposures: Array<[entityRef: string, body: SerializedJson]> }
  | { type: 'done'; allExposures: AllExposures; modelGz?: Uint8Array }
  | { type: 'error'; message: string; stack?: string };

/** Sends one message; resolves once the receiver is ready for the next. */
export type Post = (message: AnalysisMessage) => Promise<void>;

// Pieces small enough to be taken in without holding the receiver's event loop for long.
const ITEMS_PER_MESSAGE = 150;
const EXPOSURES_PER_MESSAGE = 50;

export async function runAnalysisJob(job: AnalysisJob, post: Post): Promise<void> {
  if (job.kind === 'load') {
    await serve(gunzipJsonSync<AtlasModel>(job.modelGz), post);
    return;
  }
  const snapshots = job.snapshots.map(({ inventoryGz, ...snapshot }) => ({
    ...snapshot,
    inventory: inventoryGz ? gunzipJsonSync<any>(inventoryGz) : undefined,
  }));
  job.snapshots = [];
  const model = buildModel({
    snapshots,
    clouds: job.clouds,
    prices: job.prices,
    entities: job.entities,
    gatewayTraffic: job.gatewayTraffic,
    now: new Date(job.now),
  });
  // The inventories go before the model is written and sent.
  snapshots.length = 0;
  await serve(model, post, await gzipJson(model));
}

async function serve(model: AtlasModel, post: Post, modelGz?: Uint8Array) {
  for (const [field, value] of Object.entries(model) as Array<[ModelField, unknown]>) {
    if (!Array.isArray(value)) {
      await post({ type: 'model', field, value });
      continue;
    }
    await post({ type: 'model', field, value: [] });
    for (let start = 0; start < value.length; start += ITEMS_PER_MESSAGE) {
      const items = value.slice(start, start + ITEMS_PER_MESSAGE);
      await post({ type: 'items', field, json: JSON.stringify(items) });
    }
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

  const { generatedAt, paths, entries, gateways, routes, costs } = model;
  // The body of `GET /exposures`.
  const body: ExposuresResponse = { generatedAt, paths, entries, gateways, routes, costs };
  await post({
    type: 'done',
    allExposures: {
      withAccountInventory: await serializeGzippedJson(body),
      withoutAccountInventory: await serializeGzippedJson(withoutAccountInventory(body)),
    },
    modelGz,
  });
}

/**
 * The side that runs jobs (a worker thread, or this thread as a fallback): runs the jobs sent
 * to `port`, one at a time, and reports each one's outcome there.
 */
export function serveAnalysisJobs(port: MessagePort) {
  const waiting: Array<() => void> = [];
  const post: Post = message =>
    new Promise(resolve => {
      waiting.push(resolve);
      port.postMessage(message);
    });
  port.on('message', message => {
    if (message === 'next') {
      waiting.shift()?.();
      return;
    }
    runAnalysisJob(message as AnalysisJob, post).catch((error: Error) =>
      port.postMessage({
        type: 'error',
        message: error.message,
        stack: error.stack,
      } satisfies AnalysisMessage),
    );
  });
  port.postMessage({ type: 'ready' } satisfies AnalysisMessage);
}
