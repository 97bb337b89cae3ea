import {
  AtlasModel,
  ExposurePath,
  Route,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { ownBytes } from '../inventory/compression';
import { compareText } from './order';

/** No run is longer, whatever the ids say. */
export const MAX_RUN = 512;

/** About one id in this many ends a run. */
const RUN_END_ONE_IN = 128;

/**
 * Where runs of a list end is decided by the items' ids (one id in 128, by a hash), not by
 * counting: an item added or removed shifts no run but its own, so the runs after it stay as
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
 * A run of a list's items: the JSON of each, joined by commas (no brackets), as one gzip
 * member named by the SHA-1 of its bytes (hex).
 */
export interface CompressedRun {
  count: number;
  firstId: string;
  lastId: string;
  /** What `tagsOf` said of the run's items (e.g. the entities its paths belong to). */
  tags: string[];
  sha1: string;
  gz: Buffer;
}

function compressRun<T extends Item>(
  items: T[],
  tagsOf?: (item: T) => string[],
): CompressedRun {
  const gz = ownBytes(
    zlib.gzipSync(items.map(item => JSON.stringify(item)).join(','), {
      level: zlib.constants.Z_BEST_SPEED,
    }),
  );
  return {
    count: items.length,
    firstId: items[0].id,
    lastId: items[items.length - 1].id,
    tags: tagsOf ? [...new Set(items.flatMap(tagsOf))] : [],
    sha1: createHash('sha1').update(gz).digest('hex'),
    gz,
  };
}

function itemsOf<T>(run: CompressedRun): T[] {
  return JSON.parse(`[${zlib.gunzipSync(run.gz).toString('utf8')}]`);
}

/**
 * One of the model's long lists (paths, routes), sorted by id, kept as compressed runs of its
 * items rather than as objects: at fleet scale the objects take about 20 times the memory.
 * A run holds one cluster's items only, so that the lists of groups of clusters analysed apart
 * merge by putting their runs in order, without reading them (see `merge`). A run's items are
 * read when asked for: all of them (`items`), those of some ids (`withIds`), or those of runs
 * with a tag (`tagged`).
 */
export class CompressedList<T extends Item> {
  /** The items, sorted by id, in runs. */
  static of<T extends Item>(
    items: T[],
    tagsOf?: (item: T) => string[],
  ): CompressedList<T> {
    const runs: CompressedRun[] = [];
    for (let start = 0; start < items.length; ) {
      let end = start;
      while (end < items.length && end - start < MAX_RUN) {
        end += 1;
        if (
          endsRun(items[end - 1]) ||
          items[end]?.cluster !== items[end - 1].cluster
        ) {
          break;
        }
      }
      runs.push(compressRun(items.slice(start, end), tagsOf));
      start = end;
    }
    return new CompressedList(runs);
  }

  /**
   * The lists (each sorted by id) as one, sorted by id. Runs whose ids do not overlap another
   * list's are kept as they are; where runs of several lists overlap (clusters analysed
   * together, named so that their ids interleave with those of others), their items are read,
   * merged and compressed again.
   */
  static merge<T extends Item>(
    lists: Array<CompressedList<T>>,
    tagsOf?: (item: T) => string[],
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
        const items = all
          .slice(i, end)
          .flatMap(run => itemsOf<T>(run))
          .sort((a, b) => compareText(a.id, b.id));
        runs.push(...CompressedList.of(items, tagsOf).runs);
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
    return this.runs.flatMap(run => itemsOf<T>(run));
  }

  /** The items whose id is one of `ids`, in order: only the runs that may hold them are read. */
  withIds(ids: Iterable<string>): T[] {
    const wanted = new Set(ids);
    const read = new Set<number>();
    for (const id of wanted) {
      // The last run starting at or before the id.
      let [low, high] = [0, this.runs.length - 1];
      let at = -1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (compareText(this.runs[middle].firstId, id) <= 0) {
          at = middle;
          low = middle + 1;
        } else {
          high = middle - 1;
        }
      }
      // Runs of equal first ids (an id found twice) are all read.
      while (at >= 0 && compareText(this.runs[at].lastId, id) >= 0) {
        read.add(at);
        if (at === 0 || compareText(this.runs[at - 1].lastId, id) < 0) break;
        at -= 1;
      }
    }
    return [...read]
      .sort((a, b) => a - b)
      .flatMap(index => itemsOf<T>(this.runs[index]))
      .filter(item => wanted.has(item.id));
  }

  /** The items of the runs with a tag (by `tagsOf`), in order. */
  tagged(): T[] {
    return this.runs
      .filter(run => run.tags.length > 0)
      .flatMap(run => itemsOf<T>(run));
  }
}

/**
 * The model as the analysis keeps it: its two long lists (a path and a route per Service and
 * host, 500,000 each at 100 clusters x 5,000 Services) compressed, the others as objects.
 * Paths are tagged with their entities, so that entities' views read only their runs.
 */
export type CompactModel = Omit<AtlasModel, 'paths' | 'routes'> & {
  paths: CompressedList<ExposurePath>;
  routes: CompressedList<Route>;
};

export const pathEntities = (path: ExposurePath) => path.entityRefs;

export function compactModel(model: AtlasModel): CompactModel {
  return {
    ...model,
    paths: CompressedList.of(model.paths, pathEntities),
    routes: CompressedList.of(model.routes),
  };
}

/** The model with every item read: for the views of the whole model. */
export function wholeModel(model: CompactModel): AtlasModel {
  return { ...model, paths: model.paths.items(), routes: model.routes.items() };
}
