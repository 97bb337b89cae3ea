import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

/** A response body serialized once and served many times, plain and gzip-compressed. */
export interface SerializedJson {
  json: Uint8Array;
  gzip: Uint8Array;
  /** Weak: the plain and the compressed body are the same representation. */
  etag: string;
}

export function serializeJson(value: unknown): SerializedJson {
  const json = Buffer.from(JSON.stringify(value));
  return {
    json,
    gzip: zlib.gzipSync(json),
    etag: `W/"${createHash('sha1').update(json).digest('base64url')}"`,
  };
}
