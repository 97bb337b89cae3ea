import {
  AtlasModel,
  ExposurePath,
  Route,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { ownBytes, sha1Hex } from '../inventory/compression';
import { compareText } from './order';

/** No run is longer, whatever the ids say. */
export const MAX_RUN = 512;

/** About one id in this many ends a run. */
const RUN_END_ONE_IN = 128;

/**
 * Where runs of a list end is decided by the items' ids (one id in 128, by a hash), not by
 * counting: an item added or removed shifts no run but its own (and, where runs were cut at
 * `MAX_RUN` for want of such an id, those up to the next one), so the runs after it stay as
 * they were, and so do their compressed bytes.
 */
export function endsRun(item: unknown): boolean {
  const id = (item as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return false;
  return (
    createHash('sha1').update(id).digest().readUInt32BE(0) % RUN_END_ONE_IN ===
    0
  );
}

/** A list's item: ordered by id, in a cluster. */
interface Item {
  id: string;
  cluster?: string;
}

/**
 * A gzip member as kept and stored: in memory of its own size (see `ownBytes`), named by the
 * SHA-1 of its bytes (hex).
 */
export function gzipMember(compressed: Uint8Array): {
  sha1: string;
  gz: Buffer;
} {
  const gz = ownBytes(compressed);
  return { sha1: sha1Hex(gz), gz };
}

const gzipItems = (items: unknown[]) =>
  zlib.gzipSync(items.map(item => JSON.stringify(item)).join(','), {
    level: zlib.constants.Z_BEST_SPEED,
  });

/**
 * A run of a list's items: the JSON of each, joined by commas (no brackets), as one gzip
 * member named by the SHA-1 of its bytes (hex).
 */
export interface CompressedRun {
  count: number;
  firstId: string;
  lastId: string;
  sha1: string;
  gz: Buffer;
  /**
   * The run's tagged items alone (see `CompressedList.of`), compressed the same way: `gz`
   * itself when all of them are.
   */
  taggedGz?: Buffer;
}

/**
 * The items as a run: compressed now, or, when `stored` is given, that member of a stored model
 * holding them as it is (the same bytes and SHA-1).
 */
function compressRun<T extends Item>(
  items: T[],
  isTagged?: (item: T) => boolean,
  stored?: { sha1: string; gz: Uint8Array },
): CompressedRun {
  const run = {
    count: items.length,
    firstId: items[0].id,
    lastId: items[items.length - 1].id,
    ...(stored
      ? { sha1: stored.sha1, gz: ownBytes(stored.gz) }
      : gzipMember(gzipItems(items))),
  };
  const tagged = isTagged ? items.filter(isTagged) : [];
  if (tagged.length === 0) return run;
  return {
    ...run,
    taggedGz:
      tagged.length === items.length ? run.gz : ownBytes(gzipItems(tagged)),
  };
}

function read<T>(gz: Buffer): T[] {
  return JSON.parse(`[${zlib.gunzipSync(gz).toString('utf8')}]`);
}

/**
 * The items in runs (see `endsRun`), each run also ending where the cluster changes when
 * `atClusters`; an item that stands for a run already compressed is that run.
 */
function cutRuns<T extends Item>(
  items: T[],
  atClusters: boolean,
  isTagged?: (item: T) => boolean,
  heldRunOf?: (item: T) => CompressedRun | undefined,
): CompressedRun[] {
  const runs: CompressedRun[] = [];
  for (let start = 0; start < items.length; ) {
    const held = heldRunOf?.(items[start]);
    if (held) {
      runs.push(held);
      start += 1;
      continue;
    }
    let end = start;
    while (end < items.length && end - start < MAX_RUN) {
      end += 1;
      if (
        endsRun(items[end - 1]) ||
        (atClusters && items[end]?.cluster !== items[end - 1].cluster) ||
        (end < items.length && heldRunOf?.(items[end]))
      ) {
        break;
      }
    }
    runs.push(compressRun(items.slice(start, end), isTagged));
    start = end;
  }
  return runs;
}

/**
 * One of the model's long lists (paths, routes), sorted by id, kept as compressed runs of its
 * items rather than as objects: at fleet scale the objects take about 20 times the memory.
 * A run holds one cluster's items only (unless the ids of clusters interleave), so that the
 * lists of groups of clusters analysed apart merge by putting their runs in order, without
 * reading them (see `merge`). Items are read
 * when asked for: all of them (`items`), or only the tagged ones (`tagged`), which each run
 * also keeps apart: the paths that belong to an entity and the routes they take, all an
 * entity's view reads.
 */
export class CompressedList<T extends Item> {
  /**
   * The items, sorted by id, in runs; `isTagged` says which ones `tagged` gives. An item that
   * stands for a run already compressed (see `heldRunOf`) is that run.
   */
  static of<T extends Item>(
    items: T[],
    isTagged?: (item: T) => boolean,
    heldRunOf?: (item: T) => CompressedRun | undefined,
  ): CompressedList<T> {
    return new CompressedList(cutRuns(items, true, isTagged, heldRunOf));
  }

  /**
   * The lists (each sorted by id) as one, sorted by id. Runs whose ids do not overlap another
   * list's are kept as they are; where runs of several lists overlap (clusters analysed
   * together, named so that their ids interleave with those of others), their items are read,
   * merged and compressed again, tagged as they were.
   */
  static merge<T extends Item>(
    lists: Array<CompressedList<T>>,
  ): CompressedList<T> {
    const all = lists
      .flatMap(list => list.runs)
      .sort((a, b) => compareText(a.firstId, b.firstId));
    const runs: CompressedRun[] = [];
    for (let i = 0; i < all.length; ) {
      let lastId = all[i].lastId;
      let end = i + 1;
      while (end < all.length && compareText(all[end].firstId, lastId) <= 0) {
        if (compareText(all[end].lastId, lastId) > 0) lastId = all[end].lastId;
        end += 1;
      }
      if (end === i + 1) {
        runs.push(all[i]);
      } else {
        const overlapping = all.slice(i, end);
        const tagged = new Set(
          overlapping.flatMap(run =>
            run.taggedGz ? read<T>(run.taggedGz).map(item => item.id) : [],
          ),
        );
        const items = overlapping
          .flatMap(run => read<T>(run.gz))
          .sort((a, b) => compareText(a.id, b.id));
        // Their clusters' items interleave: runs end by id alone here.
        runs.push(...cutRuns(items, false, item => tagged.has(item.id)));
      }
      i = end;
    }
    return new CompressedList(runs);
  }

  readonly runs: readonly CompressedRun[];
  readonly length: number;

  private constructor(runs: CompressedRun[]) {
    this.runs = runs;
    this.length = runs.reduce((sum, run) => sum + run.count, 0);
  }

  /** Every item, in order. */
  items(): T[] {
    return this.slice();
  }

  /**
   * The items from `start` to `end` (non-negative, as `Array.slice` takes them): only the runs
   * holding them are read.
   */
  slice(start = 0, end = this.length): T[] {
    const items: T[] = [];
    let offset = 0;
    for (const run of this.runs) {
      if (offset >= end) break;
      if (offset + run.count > start) {
        items.push(
          ...read<T>(run.gz).slice(
            Math.max(0, start - offset),
            Math.max(0, end - offset),
          ),
        );
      }
      offset += run.count;
    }
    return items;
  }

  /** The items a run at a time, each read when asked for. */
  *batches(): Generator<T[]> {
    for (const run of this.runs) yield read<T>(run.gz);
  }

  /** The tagged items, in order: only they are read. */
  tagged(): T[] {
    return this.runs.flatMap(run =>
      run.taggedGz ? read<T>(run.taggedGz) : [],
    );
  }
}

/**
 * The model as the analysis keeps it: its two long lists (a path and a route per Service and
 * host, 500,000 each at 100 clusters x 5,000 Services) compressed, the others as objects.
 * The paths that belong to an entity, and the routes on them, are tagged: the entities' views
 * read only those.
 */
export type CompactModel = Omit<AtlasModel, 'paths' | 'routes'> & {
  paths: CompressedList<ExposurePath>;
  routes: CompressedList<Route>;
};

/** The paths a run keeps apart (see `tagged`): those that belong to an entity. */
const isEntityPath = (path: ExposurePath) => path.entityRefs.length > 0;

/**
 * The run a member of a stored model holds (`text`, its text), kept as it is: how a model read
 * back from the store keeps its long lists without compressing them again. Its paths that
 * belong to an entity are tagged; routes are tagged by `compactModel`, which knows those
 * paths by then.
 */
export function storedRun(
  list: 'paths' | 'routes',
  member: { sha1: string; gz: Uint8Array },
  text: string,
): CompressedRun {
  return list === 'paths'
    ? compressRun<ExposurePath>(JSON.parse(`[${text}]`), isEntityPath, member)
    : compressRun<Route>(JSON.parse(`[${text}]`), undefined, member);
}

/** The key of the item that stands for a run already compressed, in a model's JSON. */
const HELD_RUN = '$heldRun';

/** The JSON of the item that stands for the run of SHA-1 `sha1` (see `compactModel`). */
export function heldRunJson(sha1: string): string {
  return JSON.stringify({ [HELD_RUN]: sha1 });
}

/**
 * The model with its paths and routes compressed. Items of them that stand for runs already
 * compressed (`heldRunJson`, e.g. those of the model a replica loaded before) are those runs;
 * a run of routes whose tags the model's entity paths changed is read to be tagged again, one
 * run at a time, and keeps its bytes.
 */
export function compactModel(
  model: AtlasModel,
  held: ReadonlyMap<string, CompressedRun> = new Map(),
): CompactModel {
  const heldRunOf = (item: unknown) => {
    const sha1 = (item as Record<string, unknown>)?.[HELD_RUN];
    return typeof sha1 === 'string' ? held.get(sha1) : undefined;
  };
  const onEntityPaths = new Set<string>();
  for (const item of model.paths) {
    const run = heldRunOf(item);
    const entityPaths = run
      ? (run.taggedGz && read<ExposurePath>(run.taggedGz)) || []
      : [item];
    for (const path of entityPaths) {
      if (isEntityPath(path) && path.route) {
        onEntityPaths.add(path.route);
      }
    }
  }
  const sortedIds = [...onEntityPaths].sort(compareText);
  const isOnEntityPath = (route: Route) => onEntityPaths.has(route.id);
  /** Held runs of routes tagged again (the same bytes), where their tags no longer hold. */
  const retagged = new Map<string, CompressedRun>();
  for (const item of model.routes) {
    const run = heldRunOf(item);
    if (run && !tagsHold(run, sortedIds, onEntityPaths)) {
      retagged.set(
        run.sha1,
        compressRun(read<Route>(run.gz), isOnEntityPath, run),
      );
    }
  }
  return {
    ...model,
    paths: CompressedList.of(model.paths, isEntityPath, heldRunOf),
    routes: CompressedList.of(model.routes, isOnEntityPath, item => {
      const run = heldRunOf(item);
      return run && (retagged.get(run.sha1) ?? run);
    }),
  };
}

/**
 * Whether a run's tagged routes are still those on entity paths (`ids`, also sorted): every
 * one of them is, and it has as many as there are of those ids within its ids' range.
 */
function tagsHold(
  run: CompressedRun,
  sorted: string[],
  ids: ReadonlySet<string>,
): boolean {
  const tagged = run.taggedGz ? read<Route>(run.taggedGz) : [];
  if (tagged.some(route => !ids.has(route.id))) return false;
  /** How many of the sorted ids come before `id` (or at it too, when `atToo`). */
  const before = (id: string, atToo: boolean) => {
    let [low, high] = [0, sorted.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      const order = compareText(sorted[middle], id);
      if (order < 0 || (atToo && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const inRange = before(run.lastId, true) - before(run.firstId, false);
  return inRange === tagged.length;
}

/** The model with every item read: for the views of the whole model. */
export function wholeModel(model: CompactModel): AtlasModel {
  return { ...model, paths: model.paths.items(), routes: model.routes.items() };
}
