import { KubeError, kubeErrors } from './status';
import type { KubeObject } from './store';

/**
 * Field ownership as kube-apiserver tracks it (`metadata.managedFields`, FieldsV1) and
 * server-side apply on top of it, following
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/:
 *
 * - an apply sets the fields of its configuration and becomes their owner; fields it owned
 *   before and no longer names are removed, unless another manager owns them too;
 * - changing a field another manager owns is a conflict (409) unless `force=true`, which takes
 *   the field over; setting it to the value it already has shares ownership;
 * - every other write (create, update, patch) makes its manager owner of the fields it
 *   changed, taking them from the others;
 * - an object that has no managedFields when it is first applied to is owned as a whole by
 *   `before-first-apply`.
 *
 * Simplification: every list is atomic (owned and replaced as a whole), as lists of custom
 * resources without `x-kubernetes-list-type` are; the built-in associative lists (containers
 * by name, ports, ...) are merged by key on a real server.
 */

/** FieldsV1: `f:<field>` keys down to the owned fields, each a `{}` leaf. */
export type FieldSet = { [key: string]: FieldSet };

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldSet;
  subresource?: string;
}

export const BEFORE_FIRST_APPLY = 'before-first-apply';

/** Metadata the server sets: never owned by a manager. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

type Json = any;

function isMap(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The fields an object sets, as paths of leaves (maps are walked, lists and scalars are leaves). */
function leavesOf(object: Json, path: string[] = []): string[][] {
  const leaves: string[][] = [];
  for (const [key, value] of Object.entries(object ?? {})) {
    if (path.length === 0 && (key === 'apiVersion' || key === 'kind')) {
      continue;
    }
    if (
      path.length === 1 &&
      path[0] === 'metadata' &&
      SERVER_METADATA.has(key)
    ) {
      continue;
    }
    if (value === undefined) {
      continue;
    }
    const here = [...path, key];
    if (isMap(value) && Object.keys(value).length > 0) {
      leaves.push(...leavesOf(value, here));
    } else {
      leaves.push(here);
    }
  }
  return leaves;
}

function toFieldSet(paths: string[][]): FieldSet {
  const set: FieldSet = {};
  for (const path of paths) {
    let node = set;
    for (const key of path) {
      node = node[`f:${key}`] ??= {};
    }
  }
  return set;
}

function pathsOf(set: FieldSet, path: string[] = []): string[][] {
  const entries = Object.entries(set ?? {}).filter(([key]) =>
    key.startsWith('f:'),
  );
  if (entries.length === 0) {
    return path.length ? [path] : [];
  }
  return entries.flatMap(([key, child]) =>
    pathsOf(child, [...path, key.slice(2)]),
  );
}

const keyOf = (path: string[]) => JSON.stringify(path);

/** Whether one path is the other or lies below it (owning a map owns what is in it). */
function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

function valueAt(object: Json, path: string[]): Json {
  let node = object;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    node = node[key];
  }
  return node;
}

function setAt(object: Json, path: string[], value: Json): void {
  let node = object;
  for (const key of path.slice(0, -1)) {
    if (!isMap(node[key])) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = structuredClone(value);
}

function removeAt(object: Json, path: string[]): void {
  const parents: Json[] = [];
  let node = object;
  for (const key of path.slice(0, -1)) {
    if (!isMap(node?.[key])) return;
    parents.push(node);
    node = node[key];
  }
  delete node[path[path.length - 1]];
  // Maps left empty by the removal go too, as they do on a real server.
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = parents[i];
    const child = parent[path[i]];
    if (
      isMap(child) &&
      Object.keys(child).length === 0 &&
      !(i === 0 && path[0] === 'metadata')
    ) {
      delete parent[path[i]];
    } else {
      break;
    }
  }
}

const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function entriesOf(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const managed = object?.metadata?.managedFields;
  return Array.isArray(managed) ? structuredClone(managed) : [];
}

function withEntries(
  object: KubeObject,
  entries: ManagedFieldsEntry[],
): KubeObject {
  const kept = entries.filter(e => pathsOf(e.fieldsV1).length > 0);
  object.metadata.managedFields = kept.length ? kept : undefined;
  if (!object.metadata.managedFields) delete object.metadata.managedFields;
  return object;
}

/** `entries` with the manager's entry of that operation replaced by one owning `paths`, stamped now. */
function withOwnEntry(
  entries: ManagedFieldsEntry[],
  own: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion'>,
  paths: string[][],
): ManagedFieldsEntry[] {
  return [
    ...entries.filter(
      e => !(e.manager === own.manager && e.operation === own.operation),
    ),
    {
      ...own,
      time: nowTime(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldSet(paths),
    },
  ];
}

/** Checks `fieldManager` as the API server does. */
export function checkFieldManager(
  fieldManager: string | null,
  required: boolean,
): void {
  if (!fieldManager) {
    if (required) {
      throw kubeErrors.badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    return;
  }
  if (fieldManager.length > 128 || /[^\x20-\x7e]/.test(fieldManager)) {
    throw kubeErrors.badRequest(
      `fieldManager: Invalid value: "${fieldManager.slice(
        0,
        128,
      )}": must be at most 128 printable characters`,
    );
  }
}

/**
 * Applies `config` for `manager` onto `live` (undefined: the object is created). Returns the
 * object to store, with its managedFields.
 */
export function serverSideApply(options: {
  live: KubeObject | undefined;
  config: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  describe: string;
}): KubeObject {
  const { live, config, manager, force, apiVersion } = options;
  let entries = entriesOf(live);
  if (live && entries.length === 0) {
    entries = [
      {
        manager: BEFORE_FIRST_APPLY,
        operation: 'Update',
        apiVersion,
        time: nowTime(),
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldSet(leavesOf(live)),
      },
    ];
  }
  const applied = leavesOf(config);
  const conflicts: Array<{ manager: string; path: string[] }> = [];
  for (const path of applied) {
    if (live && same(valueAt(live, path), valueAt(config, path))) {
      continue;
    }
    for (const entry of entries) {
      if (entry.manager === manager && entry.operation === 'Apply') continue;
      for (const owned of pathsOf(entry.fieldsV1)) {
        if (overlaps(owned, path)) {
          conflicts.push({ manager: entry.manager, path: owned });
        }
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    const unique = [
      ...new Map(
        conflicts.map(c => [`${c.manager} ${keyOf(c.path)}`, c]),
      ).values(),
    ];
    throw new KubeError(
      409,
      'Conflict',
      `Apply failed with ${unique.length} conflict${
        unique.length === 1 ? '' : 's'
      }: ${unique
        .map(c => `conflict with "${c.manager}": .${c.path.join('.')}`)
        .join('\n')}`,
      {},
    );
  }
  const taken = new Set(conflicts.map(c => keyOf(c.path)));
  // Forced: the other managers lose the fields this apply changes.
  entries = entries.map(entry =>
    entry.manager === manager && entry.operation === 'Apply'
      ? entry
      : {
          ...entry,
          fieldsV1: toFieldSet(
            pathsOf(entry.fieldsV1).filter(p => !taken.has(keyOf(p))),
          ),
        },
  );

  const object: KubeObject = structuredClone(
    live ?? { metadata: { ...config.metadata } },
  );
  const previous = entries.find(
    e => e.manager === manager && e.operation === 'Apply',
  );
  const stillApplied = (path: string[]) => applied.some(p => overlaps(p, path));
  const ownedByOthers = (path: string[]) =>
    entries.some(
      e =>
        !(e.manager === manager && e.operation === 'Apply') &&
        pathsOf(e.fieldsV1).some(p => overlaps(p, path)),
    );
  for (const path of pathsOf(previous?.fieldsV1 ?? {})) {
    if (!stillApplied(path) && !ownedByOthers(path)) {
      removeAt(object, path);
    }
  }
  for (const path of applied) {
    setAt(object, path, valueAt(config, path));
  }
  object.apiVersion = config.apiVersion;
  object.kind = config.kind;
  return withEntries(
    object,
    withOwnEntry(entries, { manager, operation: 'Apply', apiVersion }, applied),
  );
}

/**
 * Records who changed what on a create, update or patch: `manager` owns every field whose value
 * changed (or that is new), and the others lose those fields and the ones that were removed.
 * A request that sets managedFields itself (other than echoing the live ones) keeps them as sent.
 */
export function recordUpdate(options: {
  live: KubeObject | undefined;
  next: KubeObject;
  manager: string;
  apiVersion: string;
}): KubeObject {
  const { live, next, manager, apiVersion } = options;
  const sent = next.metadata?.managedFields;
  if (Array.isArray(sent) && !same(sent, live?.metadata?.managedFields)) {
    return next;
  }
  const before = new Map(leavesOf(live ?? {}).map(p => [keyOf(p), p]));
  const after = leavesOf(next);
  const afterKeys = new Set(after.map(keyOf));
  const changed = after.filter(
    p => !before.has(keyOf(p)) || !same(valueAt(live, p), valueAt(next, p)),
  );
  const removed = [...before.values()].filter(p => !afterKeys.has(keyOf(p)));
  const lost = [...changed, ...removed];
  let entries = entriesOf(live).map(entry => ({
    ...entry,
    fieldsV1: toFieldSet(
      pathsOf(entry.fieldsV1).filter(
        owned =>
          !lost.some(p => overlaps(p, owned)) && afterKeys.has(keyOf(owned)),
      ),
    ),
  }));
  if (changed.length > 0) {
    const mine = entries.find(
      e => e.manager === manager && e.operation === 'Update',
    );
    const paths = [...pathsOf(mine?.fieldsV1 ?? {}), ...changed];
    entries = withOwnEntry(
      entries,
      { manager, operation: 'Update', apiVersion },
      paths,
    );
  }
  return withEntries(structuredClone(next), entries);
}

/** The manager of a write without `fieldManager`: the client's name, as the API server takes it from User-Agent. */
export function defaultManager(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0].trim();
  return name ? name.slice(0, 128) : 'unknown';
}
