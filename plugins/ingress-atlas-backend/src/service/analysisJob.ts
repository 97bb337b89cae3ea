import {
  AtlasModel,
  PriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import { parentPort, workerData } from 'node:worker_threads';
import type { CatalogEntityLite } from '../engine';
import { gunzipJsonSync, gzipJson } from '../snapshots/compression';
import type { StoredClusterSnapshot } from '../snapshots/SnapshotStore';
import { buildModel } from './buildModel';
import { indexByEntity } from './entityExposure';
import { SerializedJson, serializeJson } from './serializedJson';

/**
 * This module's file, for a worker thread to load: `src/...ts` when running from source,
 * `dist/...cjs.js` once built.
 */
export const ANALYSIS_JOB_MODULE = __filename;

/** Analyse stored snapshots into a new model, or load a model another replica stored. */
export type AnalysisJob =
  | {
      kind: 'analyze';
      snapshots: StoredClusterSnapshot[];
      clouds: CloudInventory[];
      prices: PriceCatalogue;
      entities: CatalogEntityLite[];
      now: string;
    }
  | { kind: 'load'; modelGz: Uint8Array };

type ModelField = keyof AtlasModel;

/** What a job reports, in order: the model in pieces, the serialized entity views, the end. */
export type AnalysisMessage =
  | { type: 'ready' }
  | { type: 'model'; field: ModelField; value: unknown }
  | { type: 'items'; field: ModelField; items: unknown[] }
  | { type: 'exposures'; exposures: Array<[entityRef: string, body: SerializedJson]> }
  | { type: 'done'; modelGz?: Uint8Array }
  | { type: 'error'; message: string; stack?: string };

/** Sends one message; resolves once the receiver is ready for the next. */
export type Post = (message: AnalysisMessage) => Promise<void>;

// Pieces small enough to be taken in without holding the receiver's event loop for long.
const ITEMS_PER_MESSAGE = 1_000;
const EXPOSURES_PER_MESSAGE = 50;

export async function runAnalysisJob(job: AnalysisJob, post: Post): Promise<void> {
  let model: AtlasModel;
  let modelGz: Uint8Array | undefined;
  if (job.kind === 'analyze') {
    const snapshots = job.snapshots.map(({ inventoryGz, ...snapshot }) => ({
      ...snapshot,
      inventory: inventoryGz ? gunzipJsonSync<any>(inventoryGz) : undefined,
    }));
    job.snapshots = [];
    model = buildModel({
      snapshots,
      clouds: job.clouds,
      prices: job.prices,
      entities: job.entities,
      now: new Date(job.now),
    });
    // The inventories are not needed any more: let them go before the model is written.
    snapshots.length = 0;
    modelGz = await gzipJson(model);
  } else {
    model = gunzipJsonSync<AtlasModel>(job.modelGz);
  }

  for (const [field, value] of Object.entries(model) as Array<[ModelField, unknown]>) {
    if (!Array.isArray(value)) {
      await post({ type: 'model', field, value });
      continue;
    }
    await post({ type: 'model', field, value: [] });
    for (let start = 0; start < value.length; start += ITEMS_PER_MESSAGE) {
      await post({ type: 'items', field, items: value.slice(start, start + ITEMS_PER_MESSAGE) });
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
  await post({ type: 'done', modelGz });
}

/** The worker thread's side: runs the job it was started with and reports to its parent. */
export function runAnalysisJobInWorker() {
  const port = parentPort!;
  const waiting: Array<() => void> = [];
  port.on('message', message => {
    if (message === 'next') waiting.shift()?.();
  });
  const post: Post = message =>
    new Promise(resolve => {
      waiting.push(resolve);
      port.postMessage(message);
    });
  port.postMessage({ type: 'ready' } satisfies AnalysisMessage);
  // The parent ends this thread once it has the outcome.
  runAnalysisJob(workerData.job, post).catch((error: Error) =>
    port.postMessage({
      type: 'error',
      message: error.message,
      stack: error.stack,
    } satisfies AnalysisMessage),
  );
}
