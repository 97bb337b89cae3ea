import http from 'node:http';
import zlib from 'node:zlib';

/**
 * One HTTP call to time. The client is plain `node:http` with keep-alive and asks for gzip as
 * a browser does; it times each response to its last byte and does not decompress or parse
 * it (on this machine the client shares the CPU with the backend, and parsing every body
 * would measure the client): what a body holds is checked once per distinct ETag, see
 * {@link decodeJson}.
 */
export interface Call {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface LatencySummary {
  requests: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  requestsPerSecond: number;
  /** Bytes on the wire of the last successful response body. */
  responseBytes: number;
}

export interface Timed {
  /** When the call was sent (ms since the epoch). */
  at: number;
  ms: number;
  ok: boolean;
  bytes: number;
  /** For failures: what failed. */
  error?: string;
}

interface Received extends Timed {
  etag?: string;
  encoding?: string;
  body?: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function timedCall(call: Call): Promise<Received> {
  const at = Date.now();
  const started = performance.now();
  return new Promise(resolve => {
    const failed = (error: string) =>
      resolve({
        at,
        ms: performance.now() - started,
        ok: false,
        bytes: 0,
        error,
      });
    const req = http.request(
      call.url,
      {
        agent,
        method: call.method ?? 'GET',
        headers: { 'Accept-Encoding': 'gzip', ...call.headers },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', error => failed(String(error)));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const ok = res.statusCode! >= 200 && res.statusCode! < 300;
          resolve({
            at,
            ms: performance.now() - started,
            ok,
            bytes: body.byteLength,
            etag: res.headers.etag,
            encoding: res.headers['content-encoding'],
            body,
            error: ok
              ? undefined
              : `HTTP ${res.statusCode}: ${decode(
                  res.headers['content-encoding'],
                  body,
                ).slice(0, 300)}`,
          });
        });
      },
    );
    req.on('error', error => failed(String(error)));
    req.end(call.body);
  });
}

function decode(encoding: string | undefined, body: Buffer): string {
  return (encoding === 'gzip' ? zlib.gunzipSync(body) : body).toString('utf8');
}

/**
 * Parses a response body once per ETag (a body without an ETag every time), and checks
 * that every body under one ETag has the same length.
 */
export function decodeJson() {
  const seen = new Map<string, { bytes: number; value: unknown }>();
  return (received: Received): unknown => {
    const known = received.etag ? seen.get(received.etag) : undefined;
    if (known) {
      if (known.bytes !== received.bytes) {
        throw new Error(
          `Two bodies of ${known.bytes} and ${received.bytes} bytes under ETag ${received.etag}`,
        );
      }
      return known.value;
    }
    const value = JSON.parse(decode(received.encoding, received.body!));
    if (received.etag)
      seen.set(received.etag, { bytes: received.bytes, value });
    return value;
  };
}

const withoutBody = ({ at, ms, ok, bytes, error }: Received): Timed => ({
  at,
  ms,
  ok,
  bytes,
  error,
});

/** `count` calls, at most `concurrency` in flight. */
export async function measure(
  call: Call,
  options: { concurrency: number; count: number },
): Promise<LatencySummary & { firstError?: string }> {
  const results: Timed[] = [];
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < options.count) {
      issued += 1;
      results.push(withoutBody(await timedCall(call)));
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(options.concurrency, options.count) },
      worker,
    ),
  );
  return summarize(results, performance.now() - started);
}

/**
 * Keeps `concurrency` calls in flight until `done` holds for the parsed body of a response,
 * or until the time or count limit is reached (whichever first). Each distinct body is
 * parsed once (see {@link decodeJson}).
 */
export async function loadUntil(
  call: Call,
  options: {
    concurrency: number;
    done: (body: any) => boolean;
    maxMs: number;
    maxCount: number;
  },
): Promise<{ samples: Timed[]; finished: boolean }> {
  const results: Timed[] = [];
  const json = decodeJson();
  let finished = false;
  const started = performance.now();
  const stop = () =>
    finished ||
    results.length >= options.maxCount ||
    performance.now() - started > options.maxMs;
  const worker = async () => {
    while (!stop()) {
      const result = await timedCall(call);
      if (result.ok && options.done(json(result))) finished = true;
      results.push(withoutBody(result));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { samples: results, finished };
}

/** The value below which `p` percent of the sorted values fall (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1];
}

export function summarize(
  results: Timed[],
  elapsedMs: number,
): LatencySummary & { firstError?: string } {
  const ok = results.filter(r => r.ok);
  const sorted = ok.map(r => r.ms).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: results.length,
    errors: results.length - ok.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    meanMs: round(sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1)),
    requestsPerSecond: round((results.length / elapsedMs) * 1000),
    responseBytes: ok[ok.length - 1]?.bytes ?? 0,
    firstError: results.find(r => !r.ok)?.error,
  };
}

/** Requests, p50 and p99 per window of `everyMs`, by when the requests were sent. */
export function latencyTimeline(
  samples: Array<Pick<Timed, 'at' | 'ms'>>,
  from: number,
  everyMs: number,
) {
  const windows = new Map<number, number[]>();
  for (const sample of samples) {
    const index = Math.floor((sample.at - from) / everyMs);
    windows.set(index, [...(windows.get(index) ?? []), sample.ms]);
  }
  return [...windows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, ms]) => {
      const sorted = ms.sort((a, b) => a - b);
      return {
        atS: (index * everyMs) / 1000,
        requests: sorted.length,
        p50Ms: Math.round(percentile(sorted, 50)),
        p99Ms: Math.round(percentile(sorted, 99)),
      };
    });
}
