import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { MessagePort } from 'node:worker_threads';
import {
  CompressedInventory,
  compressInventory,
} from '../inventory/compressedInventory';
import { CollectionRetry, KubeCollector } from './KubeCollector';
import { AppliedChanges, Change, applyToStored } from './watchedChanges';
import { setWorkerThreadPriority } from '../workers/JobThread';

/**
 * This module's file, for a worker thread to load: `src/...ts` when running from source,
 * `dist/...cjs.js` once built.
 */
export const COLLECTION_JOB_MODULE = __filename;

/** Watched changes being applied on this thread. */
let applying = 0;

/** Read a live cluster, or apply the changes its watches saw to its stored inventory. */
export type CollectionJob = { id: number } & (
  | {
      kind: 'collect';
      connection: ClusterConnection;
      timeoutMs: number;
      kindConcurrency: number;
    }
  | {
      kind: 'apply';
      inventoryGz: Uint8Array;
      changes: Change[];
      collectedAt: string;
    }
);

export type CollectionOutcome = { id: number; retries: CollectionRetry[] } & (
  | { inventory: CompressedInventory; requests: number }
  | { applied: AppliedChanges }
  | { error: string }
);

/**
 * Reads one live cluster and compresses what it read, or applies watched changes to a stored
 * inventory: the list pages and whole inventories are parsed and dropped where this runs (a
 * worker thread), and only compressed inventories leave it.
 */
async function runCollectionJob(
  job: CollectionJob,
): Promise<CollectionOutcome> {
  if (job.kind === 'apply') {
    // A watched change is on its way to the page: applied at the priority of the requests
    // (the thread reads clusters below it), as the analysis publishes it.
    applying += 1;
    setWorkerThreadPriority('normal');
    try {
      const applied = await applyToStored(
        job.inventoryGz,
        job.changes,
        job.collectedAt,
      );
      return { id: job.id, retries: [], applied };
    } catch (error) {
      return { id: job.id, retries: [], error: (error as Error).message };
    } finally {
      applying -= 1;
      if (applying === 0) setWorkerThreadPriority('below-normal');
    }
  }
  const signal = AbortSignal.timeout(job.timeoutMs);
  const deadline = Date.now() + job.timeoutMs;
  // Reported with the outcome, to be logged where the logger is (not in a worker thread).
  const retries: CollectionRetry[] = [];
  try {
    const { inventory, requests, watchFrom } = await KubeCollector.create({
      kindConcurrency: job.kindConcurrency,
    }).collect(job.connection, {
      signal,
      deadline,
      onRetry: r => retries.push(r),
    });
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
