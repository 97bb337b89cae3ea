import {
  ClusterConnection,
  ClusterDescriptor,
  ClusterInventory,
  CollectedKind,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type { MessagePort } from 'node:worker_threads';
import { gzipJson } from '../snapshots/compression';
import { CollectionRetry, KubeCollector, WatchStart } from './KubeCollector';

/**
 * This module's file, for a worker thread to load: `src/...ts` when running from source,
 * `dist/...cjs.js` once built.
 */
export const COLLECTION_JOB_MODULE = __filename;

/** A cluster's inventory as stored: gzip of its JSON, with what the refresh logs of it. */
export interface CompressedInventory {
  cluster: ClusterDescriptor;
  collectedAt: string;
  /** The kinds that could not be read. */
  unavailable: string[];
  inventoryGz: Uint8Array;
  /** Where each listed kind's watch starts (live clusters only; not stored). */
  watchFrom?: Partial<Record<CollectedKind, WatchStart>>;
}

export interface CollectionJob {
  id: number;
  connection: ClusterConnection;
  timeoutMs: number;
  kindConcurrency: number;
}

export type CollectionOutcome = { id: number; retries: CollectionRetry[] } & (
  | { inventory: CompressedInventory; requests: number }
  | { error: string }
);

export async function compressInventory(
  inventory: ClusterInventory,
): Promise<CompressedInventory> {
  return {
    cluster: inventory.cluster,
    collectedAt: inventory.collectedAt,
    unavailable: Object.keys(inventory.unavailable),
    inventoryGz: await gzipJson(inventory),
  };
}

/**
 * Reads one live cluster and compresses what it read: the list pages are parsed and
 * dropped where this runs (a worker thread), and only the compressed inventory leaves it.
 */
export async function runCollectionJob(job: CollectionJob): Promise<CollectionOutcome> {
  const signal = AbortSignal.timeout(job.timeoutMs);
  const deadline = Date.now() + job.timeoutMs;
  // Reported with the outcome, to be logged where the logger is (not in a worker thread).
  const retries: CollectionRetry[] = [];
  try {
    const { inventory, requests, watchFrom } = await KubeCollector.create({
      kindConcurrency: job.kindConcurrency,
    }).collect(job.connection, { signal, deadline, onRetry: r => retries.push(r) });
    return {
      id: job.id,
      retries,
      inventory: { ...(await compressInventory(inventory)), watchFrom },
      requests,
    };
  } catch (error) {
    return {
      id: job.id,
      retries,
      error: signal.aborted
        ? `timed out after ${job.timeoutMs / 1000}s`
        : (error as Error).message,
    };
  }
}

/** The worker's side: runs each job sent to `port` (several at once) and posts its outcome. */
export function serveCollectionJobs(port: MessagePort) {
  port.on('message', (job: CollectionJob) => {
    void runCollectionJob(job).then(outcome => port.postMessage(outcome));
  });
  port.postMessage({ ready: true });
}
