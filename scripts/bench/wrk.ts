import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Call, LatencySummary } from './load';

/**
 * Writes one JSON line when wrk stops: its own latency histogram's figures, in microseconds.
 * wrk stops and reports on SIGINT as it does at the end of its duration.
 */
const REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"errors":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
`;

/** Fails with what to install when wrk (Debian's package `wrk`) is not on PATH. */
export function requireWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // `wrk --version` prints its version and exits with status 1.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        '--client wrk needs wrk on PATH: install it with `apt-get install wrk` (Debian)',
      );
    }
  }
}

/**
 * Keeps `concurrency` connections busy with `call` (GET, gzip asked for as a browser does)
 * from a wrk process, a load client in C that takes a fraction of the CPU the benchmark's own
 * Node.js client does, until `stop()`; then gives wrk's figures. `pid` is wrk's, for CPU
 * accounting.
 */
export function wrkLoad(call: Call, options: { concurrency: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-atlas-wrk-'));
  const script = path.join(dir, 'report.lua');
  // The headers go in the script, readable by this user only: a token on wrk's command line
  // would show in every process listing.
  const headers = { 'Accept-Encoding': 'gzip', ...call.headers };
  const setHeaders = Object.entries(headers).map(
    ([name, value]) =>
      `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`,
  );
  fs.writeFileSync(script, [...setHeaders, REPORT].join('\n'), { mode: 0o600 });
  const removeScript = () => fs.rmSync(dir, { recursive: true, force: true });
  const child: ChildProcess = spawn(
    'wrk',
    [
      '--threads',
      '1',
      '--connections',
      String(options.concurrency),
      '--duration',
      '3600s',
      '--timeout',
      '30s',
      '--script',
      script,
      call.url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', chunk => {
    output += chunk;
  });
  child.stderr!.on('data', chunk => {
    output += chunk;
  });
  // 'close', not 'exit': the figures are written as wrk exits, and must be read to the end.
  const exited = new Promise<number | null>(resolve =>
    child.once('close', code => resolve(code)),
  );
  return {
    pid: child.pid!,
    /** Stops wrk without its figures, e.g. when the benchmark fails. */
    kill: () => {
      child.kill();
      removeScript();
    },
    async stop(): Promise<LatencySummary & { firstError?: string }> {
      child.kill('SIGINT');
      // wrk takes SIGINT only once its threads run: one stopped earlier ends without figures.
      const stubborn = setTimeout(() => child.kill('SIGTERM'), 10_000);
      const code = await exited;
      clearTimeout(stubborn);
      removeScript();
      const line = output.split('\n').find(l => l.startsWith('{"requests"'));
      if (!line) {
        throw new Error(`wrk exited with ${code} and no figures: ${output}`);
      }
      const r = JSON.parse(line);
      const ms = (us: number) => Math.round(us / 100) / 10;
      return {
        requests: r.requests,
        errors: r.errors,
        p50Ms: ms(r.p50Us),
        p90Ms: ms(r.p90Us),
        p99Ms: ms(r.p99Us),
        maxMs: ms(r.maxUs),
        meanMs: ms(r.meanUs),
        requestsPerSecond: Math.round((r.requests / r.durationUs) * 1e7) / 10,
        responseBytes: Math.round(r.bytes / Math.max(r.requests, 1)),
        firstError: r.errors
          ? `${r.errors} failed (wrk counts, no detail)`
          : undefined,
      };
    },
  };
}
