import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CompactModel,
  compactModel,
  CompressedList,
  CompressedRun,
  endsRun,
  gzipMember,
  heldRunJson,
  MAX_RUN,
  storedRun,
} from '../engine/CompressedList';

const gzip = promisify(zlib.gzip);

/**
 * One gzip member of a model, named by the SHA-1 of its bytes (hex): the model is its members'
 * bytes one after the other. `gz` is left out of a member compressed for an earlier model
 * (see {@link ModelGzip.gzip}).
 */
export interface ModelPart {
  sha1: string;
  gz?: Uint8Array;
}

/** A run of a list's items compressed on its own, kept while those items are the list's. */
interface Member {
  items: unknown[];
  /** Whether its text starts with the comma that follows the run before it. */
  comma: boolean;
  part: Promise<Required<ModelPart>>;
}

/** Members compressed at once on the thread pool. */
const IN_FLIGHT = 8;

/** The member between two runs of a compressed list. */
const COMMA: Required<ModelPart> = gzipMember(zlib.gzipSync(','));

/**
 * The model's JSON compressed as a series of gzip members (RFC 1952 allows several; gunzip
 * reads them as one text), each stored once by its SHA-1. Each list is cut into runs of items; a run whose items are the
 * same objects as in a model compressed before keeps its member. A model that differs from
 * the last one in one cluster is compressed again in that cluster's runs only: the engine
 * carries the other clusters' items over, and each list is sorted by id, which starts with
 * the cluster's name. A list the engine keeps compressed (`CompressedList`) gives its runs as
 * they are, a comma between each two.
 */
export class ModelGzip {
  /** The members of the last model, by the first item of their run. */
  #members = new WeakMap<object, Member>();
  /** The SHA-1s of the last model's compressed runs (and comma). */
  #runs = new Set<string>();

  /**
   * The model's members, in order. Those kept from the last model come without their bytes
   * (stored with it already), unless `all`.
   */
  async gzip(
    model: object,
    options: { all?: boolean } = {},
  ): Promise<ModelPart[]> {
    const next = new WeakMap<object, Member>();
    const nextRuns = new Set<string>();
    /** A compressed run's member: its bytes only if the last model did not have it. */
    const runPart = ({ sha1, gz }: Required<ModelPart>) => {
      nextRuns.add(sha1);
      return Promise.resolve(
        options.all || !this.#runs.has(sha1) ? { sha1, gz } : { sha1 },
      );
    };
    const parts: Array<Promise<ModelPart>> = [];
    const pending: Array<Promise<unknown>> = [];
    let text = '';
    /** Queues `json`'s member; waits while too many are being compressed. */
    const compress = async (json: string) => {
      const part = gzip(json, { level: zlib.constants.Z_BEST_SPEED }).then(
        // Kept while its run is the model's, and sent to the request thread to be stored.
        gzipMember,
      );
      parts.push(part);
      pending.push(part);
      if (pending.length >= IN_FLIGHT) await pending.shift();
      // Wrapped: awaiting `compress` must not wait for this member too.
      return { part };
    };
    const flushText = async () => {
      const json = text;
      text = '';
      if (json) await compress(json);
    };

    text += '{';
    let firstField = true;
    for (const [field, value] of Object.entries(model) as Array<
      [string, unknown]
    >) {
      if (value === undefined) continue;
      text += `${firstField ? '' : ','}${JSON.stringify(field)}:`;
      firstField = false;
      if (value instanceof CompressedList) {
        text += '[';
        for (const [index, run] of value.runs.entries()) {
          await flushText();
          if (index > 0) parts.push(runPart(COMMA));
          parts.push(runPart(run));
        }
        text += ']';
        continue;
      }
      if (!Array.isArray(value)) {
        text += JSON.stringify(value);
        continue;
      }
      text += '[';
      for (let start = 0; start < value.length; ) {
        const comma = start > 0;
        const member = this.#reusable(value, start, comma);
        if (member) {
          await flushText();
          parts.push(
            options.all
              ? member.part
              : member.part.then(({ sha1 }) => ({ sha1 })),
          );
          next.set(value[start], member);
          start += member.items.length;
          continue;
        }
        let end = start;
        while (end < value.length && end - start < MAX_RUN) {
          end += 1;
          if (endsRun(value[end - 1])) break;
        }
        const items = value.slice(start, end);
        await flushText();
        const json = `${comma ? ',' : ''}${items
          .map(i => JSON.stringify(i) ?? 'null')
          .join(',')}`;
        const { part } = await compress(json);
        if (items[0] !== null && typeof items[0] === 'object') {
          next.set(items[0], { items, comma, part });
        }
        start = end;
      }
      text += ']';
    }
    text += '}';
    await flushText();
    this.#members = next;
    this.#runs = nextRuns;
    return Promise.all(parts);
  }

  #reusable(
    list: unknown[],
    start: number,
    comma: boolean,
  ): Member | undefined {
    const first = list[start];
    if (first === null || typeof first !== 'object') return undefined;
    const member = this.#members.get(first);
    if (!member || member.comma !== comma) return undefined;
    const { items } = member;
    if (start + items.length > list.length) return undefined;
    for (let i = 1; i < items.length; i++) {
      if (items[i] !== list[start + i]) return undefined;
    }
    return member;
  }
}

/** The end of the text before the runs of a list kept compressed (see `CompactModel`). */
const BEFORE_RUNS = /"(paths|routes)":\[$/;

/**
 * A stored model read back as the analysis keeps it (see `CompactModel`), a member at a time:
 * the members of its compressed lists become runs as they are, so that the text parsed at once
 * is the rest of the model (at fleet scale the whole model's JSON is longer than a string can
 * be). Runs of `held`'s lists (by SHA-1: e.g. the model a replica loaded before) are neither
 * decompressed nor parsed again: a replica that follows another one's models parses the
 * clusters that changed.
 */
export function readModel(
  parts: Array<Required<ModelPart>>,
  held?: CompactModel,
): CompactModel {
  const runs = new Map<string, CompressedRun>(
    (held ? [...held.paths.runs, ...held.routes.runs] : []).map(run => [
      run.sha1,
      run,
    ]),
  );
  let text = '';
  /** The compressed list whose runs the next members are, if any. */
  let list: 'paths' | 'routes' | undefined;
  for (const part of parts) {
    if (list && runs.has(part.sha1)) {
      text += heldRunJson(part.sha1);
      continue;
    }
    const member = zlib.gunzipSync(part.gz).toString('utf8');
    // A run starts with an item; the comma between runs is a member of its own. A list an
    // older version stored as a plain array is cut into members that start with a comma after
    // the first: its first member is kept as a run (of items of any clusters), the rest read as
    // text with the rest of the model.
    if (list && member !== ',' && !/^[\],]/.test(member)) {
      const run = storedRun(list, part, member);
      runs.set(run.sha1, run);
      text += heldRunJson(run.sha1);
      continue;
    }
    text += member;
    if (member !== ',') {
      list = BEFORE_RUNS.exec(text.slice(-12))?.[1] as typeof list;
    }
  }
  return compactModel(JSON.parse(text) as AtlasModel, runs);
}
