import http from 'node:http';
import { latencyTimeline, percentile } from '../bench/load';

/** One timed GET of the entity view. */
export interface ViewSample {
  at: number;
  ms: number;
  status: number;
  error?: string;
}

export interface ViewLoad {
  requests: number;
  errors: number;
  firstError?: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function timedGet(url: string, token: string): Promise<ViewSample> {
  const at = Date.now();
  const started = performance.now();
  return new Promise(resolve => {
    const done = (status: number, error?: string) =>
      resolve({ at, ms: performance.now() - started, status, error });
    const req = http.request(
      url,
      {
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          'Accept-Encoding': 'gzip',
        },
      },
      res => {
        // Timed to the last byte, not parsed: the client shares the CPU with the backend.
        res.on('data', () => {});
        res.on('error', error => done(0, String(error)));
        res.on('end', () =>
          done(
            res.statusCode!,
            res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}`,
          ),
        );
      },
    );
    req.on('error', error => done(0, String(error)));
    req.end();
  });
}

/**
 * `concurrency` users asking for the entity view while something else happens (a refresh
 * under a fault): each sends a request, waits for its answer, then for the rest of `paceMs`,
 * until `stop()` holds and at least `minRequests` were answered. Paced rather than flat out:
 * on a 2-core machine an unpaced client would take the CPU the refresh under test needs, and
 * measure itself.
 */
export async function loadView(options: {
  url: string;
  token: string;
  concurrency: number;
  minRequests: number;
  paceMs: number;
  stop: () => boolean;
}): Promise<{ summary: ViewLoad; samples: ViewSample[] }> {
  const samples: ViewSample[] = [];
  const worker = async () => {
    while (!options.stop() || samples.length < options.minRequests) {
      const sample = await timedGet(options.url, options.token);
      samples.push(sample);
      const rest = options.paceMs - sample.ms;
      if (rest > 0) await new Promise(resolve => setTimeout(resolve, rest));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { summary: summarizeView(samples), samples };
}

export function summarizeView(samples: ViewSample[]): ViewLoad {
  const ok = samples.filter(s => s.status === 200);
  const sorted = ok.map(s => s.ms).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: samples.length,
    errors: samples.length - ok.length,
    firstError: samples.find(s => s.status !== 200)?.error,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/** Requests, p50 and p99 per second since `from`, by when the requests were sent. */
export function viewTimeline(samples: ViewSample[], from: number) {
  return latencyTimeline(samples, from, 1000).map(({ atS, ...window }) => ({
    second: atS,
    ...window,
  }));
}
