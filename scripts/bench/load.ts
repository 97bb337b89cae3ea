/** One HTTP call to time: a fresh RequestInit each time (bodies are single-use). */
export interface Call {
  url: string;
  init: () => RequestInit;
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
  /** Bytes of the last successful response body. */
  responseBytes: number;
}

export interface Timed {
  /** When the call was sent (ms since the epoch). */
  at: number;
  ms: number;
  ok: boolean;
  bytes: number;
  body?: string;
}

async function timedCall(call: Call, keepBody = false): Promise<Timed> {
  const at = Date.now();
  const started = performance.now();
  try {
    const res = await fetch(call.url, call.init());
    const body = await res.text();
    return {
      at,
      ms: performance.now() - started,
      ok: res.ok,
      bytes: Buffer.byteLength(body),
      body: keepBody || !res.ok ? body : undefined,
    };
  } catch (error) {
    return {
      at,
      ms: performance.now() - started,
      ok: false,
      bytes: 0,
      // fetch() reports "fetch failed"; what failed is in the cause.
      body: `${error}${
        (error as Error).cause ? `: ${(error as Error).cause}` : ''
      }`,
    };
  }
}

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
      results.push(await timedCall(call));
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
 * Keeps `concurrency` calls in flight until `done(body)` holds for a response, or until the
 * time or count limit is reached (whichever first).
 */
export async function loadUntil(
  call: Call,
  options: {
    concurrency: number;
    done: (body: string) => boolean;
    maxMs: number;
    maxCount: number;
  },
): Promise<{ samples: Timed[]; finished: boolean }> {
  const results: Timed[] = [];
  let finished = false;
  const started = performance.now();
  const stop = () =>
    finished ||
    results.length >= options.maxCount ||
    performance.now() - started > options.maxMs;
  const worker = async () => {
    while (!stop()) {
      const result = await timedCall(call, true);
      if (result.ok && result.body && options.done(result.body))
        finished = true;
      results.push({ ...result, body: result.ok ? undefined : result.body });
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
    firstError: results.find(r => !r.ok)?.body?.slice(0, 300),
  };
}
