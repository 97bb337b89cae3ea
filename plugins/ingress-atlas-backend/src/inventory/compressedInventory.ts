import {
  ClusterDescriptor,
  ClusterInventory,
  CollectedKind,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { gzipJson } from './compression';

/** A kind's collection path (`/api/v1/services`) and the resourceVersion its list was read at. */
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
  /** Where each listed kind's watch starts (live clusters only; not stored). */
  watchFrom?: Partial<Record<CollectedKind, WatchStart>>;
}

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
