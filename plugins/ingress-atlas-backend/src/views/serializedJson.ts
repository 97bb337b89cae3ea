import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { gzipJson, ownBytes } from '../inventory/compression';

/**
 * A response body serialized once and served many times, gzip-compressed and, when small
 * enough to keep twice, plain.
 */
export interface SerializedJson {
  gzip: Uint8Array;
  json?: Uint8Array;
  /** Weak: the plain and the compressed body are the same representation. */
  etag: string;
}

function etagOf(bytes: Uint8Array) {
  return `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

export function serializeJson(value: unknown): SerializedJson {
  const json = ownBytes(Buffer.from(JSON.stringify(value)));
  return { json, gzip: ownBytes(zlib.gzipSync(json)), etag: etagOf(json) };
}

/** For large bodies: only the compressed form is kept. */
export async function serializeGzippedJson(
  value: unknown,
): Promise<SerializedJson> {
  const gzip = await gzipJson(value);
  return { gzip, etag: etagOf(gzip) };
}
