import {
  ClusterDescriptor,
  ClusterInventory,
  CollectedKind,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { gzipJson, sha1Hex } from './compression';

/**
 * A kind's collection path (`/api/v1/services`) and the resourceVersion its watch starts from:
 * the one its list was read at, then that of the last event its watch stored.
 */
export interface WatchStart {
  path: string;
  apiVersion: string;
  resourceVersion: string;
}

/** A cluster's inventory as stored: gzip of its JSON, with what the refresh logs of it. */
export interface CompressedInventory {
  cluster: ClusterDescriptor;
  collectedAt: string;
  /** The kinds that could not be read. */
  unavailable: string[];
  inventoryGz: Uint8Array;
  /**
   * Where each listed kind's watch starts (live clusters only). Stored with the snapshot and
   * kept current by the watches, so that a replica taking them over resumes them from there
   * instead of listing the cluster again.
   */
  watchFrom?: Partial<Record<CollectedKind, WatchStart>>;
}

/** The SHA-1 of an inventory's stored bytes, hex: what names one version of a cluster's inventory. */
export function inventorySha1(inventoryGz: Uint8Array): string {
  return sha1Hex(inventoryGz);
}

/** What a cluster's watches start from: its stored inventory and where each kind's watch got. */
export type WatchedInventory = Pick<
  CompressedInventory,
  'inventoryGz' | 'watchFrom'
>;

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
