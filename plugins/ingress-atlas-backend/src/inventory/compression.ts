import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gunzip = promisify(zlib.gunzip);

/** Array items serialized per chunk: small enough that no chunk holds the event loop for long. */
const ITEMS_PER_CHUNK = 100;

/** The size of the pieces written to zlib, in characters. */
const JOINED_CHARS = 256 * 1024;

const itemJson = (item: unknown) => JSON.stringify(item) ?? 'null';

/**
 * An array too long to hold as objects, written by `jsonChunks` a batch of items at a time,
 * each batch read when it is written (e.g. a compressed list, run by run).
 */
export class BatchedArray {
  constructor(readonly batches: () => Iterable<unknown[]>) {}
}

/**
 * The JSON text of a value in pieces: arrays and plain objects down to `depth` levels are
 * written item by item (a `BatchedArray` batch by batch), anything deeper with
 * JSON.stringify. Joined, the pieces equal JSON.stringify(value), a `BatchedArray` being the
 * array of its batches' items.
 */
export function* jsonChunks(value: unknown, depth = 3): Generator<string> {
  if (value instanceof BatchedArray) {
    yield '[';
    let first = true;
    for (const batch of value.batches()) {
      if (batch.length === 0) continue;
      yield `${first ? '' : ','}${batch.map(itemJson).join(',')}`;
      first = false;
    }
    yield ']';
  } else if (depth > 0 && Array.isArray(value)) {
    yield '[';
    for (let start = 0; start < value.length; start += ITEMS_PER_CHUNK) {
      const items = value.slice(start, start + ITEMS_PER_CHUNK).map(itemJson);
      yield `${start > 0 ? ',' : ''}${items.join(',')}`;
    }
    yield ']';
  } else if (depth > 0 && isPlainObject(value)) {
    yield '{';
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (
        item === undefined ||
        typeof item === 'function' ||
        typeof item === 'symbol'
      ) {
        continue;
      }
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonChunks(item, depth - 1);
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !('toJSON' in value);
}

/**
 * Pieces joined up to about `JOINED_CHARS` characters: each piece written to zlib is a trip
 * through the event loop, which a busy backend's requests make long.
 */
function* joined(pieces: Iterable<string>): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= JOINED_CHARS) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length) yield buffer.join('');
}

/** The SHA-1 of some bytes, in hex: how stored inventories and model parts are named. */
export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * The bytes in a buffer of their own length. zlib's output and small Buffers are views on a
 * shared block (64 KiB in Node.js 24): a body kept keeps the whole block, and a message to
 * another thread copies every block its bodies are views on.
 */
export function ownBytes(bytes: Uint8Array): Buffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, 0, bytes.byteLength);
  }
  const copy = new Uint8Array(bytes);
  return Buffer.from(copy.buffer, 0, copy.byteLength);
}

/**
 * gzip of the JSON of a value, written piece by piece into zlib (which compresses on the
 * thread pool), so that neither a whole JSON string nor a long serialization is ever needed.
 */
export async function gzipJson(value: unknown): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(joined(jsonChunks(value))),
    // The fastest level: these bodies are large and rewritten at every change; JSON compresses
    // well at any level.
    zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        done();
      },
    }),
  );
  return ownBytes(Buffer.concat(parts));
}

export async function gunzipJson<T>(data: Uint8Array): Promise<T> {
  return JSON.parse((await gunzip(data)).toString('utf8'));
}

export function gunzipJsonSync<T>(data: Uint8Array): T {
  return JSON.parse(zlib.gunzipSync(data).toString('utf8'));
}
