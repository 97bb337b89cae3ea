import {
  COLLECTED_KINDS,
  CertificateInfo,
  ClusterInventory,
  CollectedKind,
  KubeObject,
  RejectedObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { gunzipJson } from '../inventory/compression';
import {
  CompressedInventory,
  compressInventory,
} from '../inventory/compressedInventory';

export const keyOf = (
  metadata: { namespace?: unknown; name?: unknown } | undefined,
) => `${metadata?.namespace ?? ''}/${metadata?.name ?? ''}`;

/** One change a watch saw, already reduced as a LIST's items are (no Secret data). */
export type Change =
  | {
      kind: CollectedKind;
      key: string;
      deleted?: true;
      object?: KubeObject;
      rejected?: RejectedObject;
      certificate?: CertificateInfo;
    }
  | { kind: CollectedKind; relisted: Reduced | { unavailable: string } };

export interface Reduced {
  items: KubeObject[];
  rejected: RejectedObject[];
  certificates: CertificateInfo[];
}

export interface StoredIndex {
  selectorless: Set<string>;
  endpoints: Set<string>;
  configmaps: Set<string>;
}

export function storedIndex(inventory: ClusterInventory): StoredIndex {
  const keys = (kind: 'endpoints' | 'configmaps') =>
    new Set([
      ...(inventory.objects[kind] ?? []).map(o => keyOf(o.metadata)),
      ...(inventory.rejected ?? [])
        .filter(r => r.kind === COLLECTED_KINDS[kind].kind)
        .map(keyOf),
    ]);
  return {
    selectorless: selectorlessServices(inventory.objects.services),
    endpoints: keys('endpoints'),
    configmaps: keys('configmaps'),
  };
}

/**
 * Applies watched changes in order to an inventory as a LIST would have left it; answers
 * whether a Service became selectorless (its Endpoints, not kept until now, are needed).
 */
export function applyChanges(
  inventory: ClusterInventory,
  changes: Change[],
): boolean {
  const before = selectorlessServices(inventory.objects.services);
  const tables = new Map<CollectedKind, Map<string, KubeObject>>();
  const table = (kind: CollectedKind) => {
    let found = tables.get(kind);
    if (!found) {
      found = new Map(
        (inventory.objects[kind] ?? []).map(o => [keyOf(o.metadata), o]),
      );
      tables.set(kind, found);
    }
    return found;
  };
  const certificates = new Map(inventory.certificates.map(c => [c.secret, c]));
  let rejected = inventory.rejected ?? [];
  for (const change of changes) {
    const kindName = COLLECTED_KINDS[change.kind].kind;
    if ('relisted' in change) {
      rejected = rejected.filter(r => r.kind !== kindName);
      if (change.kind === 'secrets') certificates.clear();
      if ('unavailable' in change.relisted) {
        inventory.unavailable[change.kind] = change.relisted.unavailable;
        tables.delete(change.kind);
        delete inventory.objects[change.kind];
        continue;
      }
      delete inventory.unavailable[change.kind];
      const { items, certificates: certs } = change.relisted;
      tables.set(change.kind, new Map(items.map(o => [keyOf(o.metadata), o])));
      rejected = rejected.concat(change.relisted.rejected);
      certs.forEach(c => certificates.set(c.secret, c));
      continue;
    }
    if (inventory.unavailable[change.kind]) continue;
    const objects = table(change.kind);
    rejected = rejected.filter(
      r => !(r.kind === kindName && keyOf(r) === change.key),
    );
    if (change.kind === 'secrets') certificates.delete(change.key);
    if (change.deleted || change.rejected) {
      objects.delete(change.key);
      if (change.rejected) rejected.push(change.rejected);
      continue;
    }
    objects.set(change.key, change.object!);
    if (change.certificate) certificates.set(change.key, change.certificate);
  }
  for (const [kind, objects] of tables) {
    inventory.objects[kind] = [...objects.values()];
  }
  inventory.objects.endpoints = onlySelectorless(
    inventory.objects.endpoints,
    inventory.objects.services,
  );
  inventory.certificates = [...certificates.values()];
  inventory.rejected = rejected;
  const after = selectorlessServices(inventory.objects.services);
  return [...after].some(key => !before.has(key));
}

/** A cluster's stored inventory with watched changes applied, ready to be stored again. */
export interface AppliedChanges {
  inventory: CompressedInventory;
  stored: StoredIndex;
  /** A Service became selectorless: its Endpoints, not kept until now, are to be listed. */
  endpointsNeeded: boolean;
}

/**
 * Applies `changes` to a stored inventory (gzip of its JSON) and compresses it again: the
 * whole inventory is parsed and written here, so this runs in the cluster reader's worker
 * thread rather than in the one answering requests.
 */
export async function applyToStored(
  inventoryGz: Uint8Array,
  changes: Change[],
  collectedAt: string,
): Promise<AppliedChanges> {
  const inventory = await gunzipJson<ClusterInventory>(inventoryGz);
  const endpointsNeeded = applyChanges(inventory, changes);
  inventory.collectedAt = collectedAt;
  return {
    inventory: await compressInventory(inventory),
    stored: storedIndex(inventory),
    endpointsNeeded,
  };
}

/** The Services without a selector, by `namespace/name`: only their Endpoints are kept. */
export function selectorlessServices(services?: KubeObject[]): Set<string> {
  return new Set(
    (services ?? [])
      .filter(
        s => !s.spec?.selector || Object.keys(s.spec.selector).length === 0,
      )
      .map(s => `${s.metadata.namespace}/${s.metadata.name}`),
  );
}

/** The Endpoints of Services without a selector (the others follow from their Pods). */
export function onlySelectorless(
  endpoints?: KubeObject[],
  services?: KubeObject[],
) {
  if (!endpoints) return undefined;
  const selectorless = selectorlessServices(services);
  return endpoints.filter(e =>
    selectorless.has(`${e.metadata.namespace}/${e.metadata.name}`),
  );
}
