import {
  AtlasModel,
  exposuresPages,
  PriceCatalogue,
  withoutAccountInventory,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import v8 from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import type { CatalogEntityLite, GatewayTraffic } from '../engine';
import {
  IncrementalAnalysis,
  IncrementalRun,
} from '../engine/IncrementalAnalysis';
import { CompactModel, wholeModel } from '../engine/CompressedList';
import { inventorySha1 } from '../inventory/compressedInventory';
import { BatchedArray } from '../inventory/compression';
import { costDayOf, ModelCostDay } from '../costHistory/costDay';
import { buildDerived, DerivedRequest } from '../views/derivedViews';
import { ModelGzip, ModelPart, readModel } from './ModelGzip';
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
 * `analyze`: stored snapshots into a new model, to be stored (compressed) and served. A
 * snapshot given with its inventory's SHA-1 but without its bytes is one the thread holds
 * from an earlier job (see `AnalysisRunner.analyze`).
 * `load`: a stored model, to be served.
 * The thread that runs jobs keeps the model it served last; the backend's request thread
 * gets only what it serves as is: the model's summary and each entity's view, serialized.
 * `exposures` and `derived`: a body of the model kept, written when first asked for.
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
      /** Every part of the model with its bytes, not only those new since the last model. */
      allParts?: boolean;
    }
  | { kind: 'load'; modelParts: Array<Required<ModelPart>> }
  /** `GET /exposures` of the model kept, as one reader sees it. */
  | { kind: 'exposures'; request: ExposuresRequest }
  /** A view of the model kept (topology, findings, cost). */
  | { kind: 'derived'; request: DerivedRequest };

/**
 * `GET /exposures` as a reader sees it: with or without the account's idle and orphaned cloud
 * resources' costs (`ingress-atlas.cloud-inventory.read`), whole or in pages (`?page=N`). Each
 * is written on its own: at fleet scale one is tens of MiB even compressed.
 */
export interface ExposuresRequest {
  accountInventory: boolean;
  paged: boolean;
}

/** What the request thread keeps of a model besides the entities' views. */
export interface ModelSummary {
  generatedAt: string;
  clusters: AtlasModel['clusters'];
  paths: number;
  findings: number;
}

export type AnalysisMessage =
  | { type: 'ready' }
  | { type: 'summary'; summary: ModelSummary }
  | {
      type: 'exposures';
      exposures: Array<[entityRef: string, body: SerializedJson]>;
    }
  | {
      type: 'done';
      /** An analysed model, to be stored: its parts, the bytes of those new (see `ModelGzip`). */
      modelParts?: ModelPart[];
      /** What an analysis analysed again. */
      run?: IncrementalRun;
      /** What an analysed model costs, for the cost history. */
      costDay?: ModelCostDay;
      /** The CPU time this job took on the thread that ran it (zlib's thread pool aside). */
      cpuMs?: number;
      /** The JavaScript heap of the thread that ran it, in use and held, at its end, MiB. */
      heap?: HeapMiB;
    }
  /** The body asked for, or its pages in order. */
  | { type: 'allExposures'; bodies: SerializedJson[] }
  | { type: 'derived'; body: SerializedJson }
  | { type: 'error'; message: string; stack?: string };

/**
 * Sends one message. One the receiver takes time over (bodies to keep) resolves once the
 * receiver is ready for the next; the others at once: each wait is a trip through the
 * receiver's event loop, long on a busy backend.
 */
export type Post = (message: AnalysisMessage) => Promise<void>;

/** Whether the receiver acknowledges `message` ('next') once it has taken it. */
export function isAcknowledged(message: AnalysisMessage): boolean {
  return message.type === 'exposures';
}

// Pieces small enough to be taken in without holding the receiver's event loop for long.
const EXPOSURES_PER_MESSAGE = 50;

/**
 * What the thread that runs jobs keeps from one job to the next: the engine, which analyses
 * again only the clusters whose snapshots changed, the compressed runs of the last model's
 * items, and the model served.
 */
export interface AnalysisThreadState {
  engine: IncrementalAnalysis;
  gzip: ModelGzip;
  /** The clusters' inventories of the last analysis, by cluster, with each one's SHA-1. */
  inventories: Map<string, { sha1: string; gz: Uint8Array }>;
  /**
   * The model this thread served last, its paths and routes compressed: what `exposures` and
   * `derived` jobs write from. Kept until another one is wholly sent, so that a failed job
   * leaves the model being served.
   */
  model?: CompactModel;
}

/** Runs one job; `state` is the thread's, kept from job to job. */
export async function runAnalysisJob(
  job: AnalysisJob,
  post: Post,
  state: AnalysisThreadState,
): Promise<void> {
  // A stored model loads below the requests' priority; a body asked for is written at theirs:
  // a watched change's publication waits for it to finish.
  setWorkerThreadPriority(job.kind === 'load' ? 'below-normal' : 'normal');
  if (job.kind === 'exposures' || job.kind === 'derived') {
    const { model } = state;
    if (!model) throw new Error('No model to write a view of');
    await post(
      job.kind === 'exposures'
        ? {
            type: 'allExposures',
            bodies: await allExposures(model, job.request),
          }
        : {
            type: 'derived',
            body: serializeJson(
              buildDerived(model, job.request, () => wholeModel(model)),
            ),
          },
    );
    return;
  }
  if (job.kind === 'load') {
    const model = readModel(job.modelParts, state.model);
    await serve(model, post);
    state.model = model;
    return;
  }
  const cpuFrom = threadCpuMs();
  const snapshots = withHeldInventories(job.snapshots, state.inventories);
  job.snapshots = [];
  const model = buildModel(
    { ...job, snapshots, now: new Date(job.now) },
    state.engine,
    (clusters, of) =>
      // A watched change (a few clusters analysed again) is published at the priority of the
      // requests, so that it shows within seconds under load; whole analyses stay below it.
      setWorkerThreadPriority(clusters * 2 < of ? 'normal' : 'below-normal'),
  );
  // Compressed (on the thread pool, mostly) while the views are sent; awaited after them, so
  // that a failure to send is the one reported.
  const modelParts = state.gzip.gzip(model, { all: job.allParts });
  modelParts.catch(() => undefined);
  await serve(model, post, {
    modelParts,
    run: state.engine.lastRun,
    costDay: costDayOf(model),
    cpuFrom,
  });
  state.model = model;
}

/**
 * The snapshots with the bytes of the inventories `held` (by this thread) filled in; `held`
 * then keeps those of these snapshots, for the next analysis.
 */
function withHeldInventories(
  snapshots: StoredClusterSnapshot[],
  held: AnalysisThreadState['inventories'],
): StoredClusterSnapshot[] {
  const filled = snapshots.map(snapshot => {
    const { name } = snapshot.descriptor;
    if (snapshot.inventoryGz || !snapshot.inventorySha1) return snapshot;
    const kept = held.get(name);
    if (kept?.sha1 !== snapshot.inventorySha1) {
      throw new Error(
        `The analysis does not hold the inventory of cluster ${name} it was sent without`,
      );
    }
    return { ...snapshot, inventoryGz: kept.gz };
  });
  held.clear();
  for (const { descriptor, inventoryGz, inventorySha1: sha1 } of filled) {
    if (inventoryGz) {
      held.set(descriptor.name, {
        sha1: sha1 ?? inventorySha1(inventoryGz),
        gz: inventoryGz,
      });
    }
  }
  return filled;
}

/** A thread's JavaScript heap: what is in use, and what it holds (MiB). */
export interface HeapMiB {
  used: number;
  held: number;
}

/** This thread's JavaScript heap. */
export function heapMiB(): HeapMiB {
  const { used_heap_size, total_heap_size } = v8.getHeapStatistics();
  return {
    used: Math.round(used_heap_size / 2 ** 20),
    held: Math.round(total_heap_size / 2 ** 20),
  };
}

/** This thread's CPU time so far, where Node.js tells it (22.x does not). */
function threadCpuMs(): number | undefined {
  const usage = process.threadCpuUsage?.();
  return usage && Math.round((usage.user + usage.system) / 1000);
}

/** Sends what the request thread serves of the model: its summary and each entity's view. */
async function serve(
  model: CompactModel,
  post: Post,
  done: {
    modelParts?: Promise<ModelPart[]>;
    run?: IncrementalRun;
    costDay?: ModelCostDay;
    /** This thread's CPU time when the job started. */
    cpuFrom?: number;
  } = {},
): Promise<void> {
  await post({
    type: 'summary',
    summary: {
      generatedAt: model.generatedAt,
      clusters: model.clusters,
      paths: model.paths.length,
      findings: model.findings.length,
    },
  });
  let batch: Array<[string, SerializedJson]> = [];
  for (const [entityRef, exposure] of indexByEntity(model)) {
    batch.push([entityRef, serializeJson(exposure)]);
    if (batch.length === EXPOSURES_PER_MESSAGE) {
      await post({ type: 'exposures', exposures: batch });
      batch = [];
    }
  }
  if (batch.length) await post({ type: 'exposures', exposures: batch });
  const { cpuFrom, ...outcome } = done;
  const modelParts = await outcome.modelParts;
  const cpuTo = threadCpuMs();
  await post({
    type: 'done',
    ...outcome,
    modelParts,
    cpuMs:
      cpuFrom === undefined || cpuTo === undefined
        ? undefined
        : cpuTo - cpuFrom,
    heap: heapMiB(),
  });
}

/**
 * The bodies of `GET /exposures` as `request` asks: the whole body, or its pages. The model's
 * compressed lists are read a run at a time as they are written (whole) or only the runs a page
 * holds (pages), never all at once.
 */
async function allExposures(
  model: CompactModel,
  request: ExposuresRequest,
): Promise<SerializedJson[]> {
  const { generatedAt, paths, entries, gateways, routes } = model;
  const { costs } = request.accountInventory
    ? model
    : withoutAccountInventory({ costs: model.costs });
  if (!request.paged) {
    return [
      await serializeGzippedJson({
        generatedAt,
        paths: new BatchedArray(() => paths.batches()),
        entries,
        gateways,
        routes: new BatchedArray(() => routes.batches()),
        costs,
      }),
    ];
  }
  const pages = [];
  for (const page of exposuresPages({
    generatedAt,
    paths,
    entries,
    gateways,
    routes,
    costs,
  })) {
    pages.push(await serializeGzippedJson(page));
  }
  return pages;
}

/**
 * The side that runs jobs (a worker thread, or this thread as a fallback): runs the jobs sent
 * to `port`, one at a time, and reports each one's outcome there.
 */
export function serveAnalysisJobs(port: MessagePort) {
  const state: AnalysisThreadState = {
    engine: new IncrementalAnalysis(),
    gzip: new ModelGzip(),
    inventories: new Map(),
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
