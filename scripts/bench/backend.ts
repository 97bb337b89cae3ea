import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import net from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { MemoryCgroup, inCgroup } from './memoryLimit';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** The Component both plugins are asked about; present in every generated cluster. */
export const BENCH_APP = 'app-7';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * Writes the config layered over app-config.yaml and app-config.sandbox.yaml: both the Kubernetes plugin and the atlas
 * read the benchmark's clusters, and nothing else (arrays replace those of app-config.sandbox.yaml).
 */
export function writeBenchConfig(options: {
  dir: string;
  port: number;
  clusters: Record<string, { url: string; token: string }>;
  refreshConcurrency?: number;
  /** SQLite files in this folder instead of in-memory databases. */
  sqliteDirectory?: string;
  /** Another database than SQLite, e.g. PostgreSQL shared by replicas. */
  database?: object;
}): string {
  const { dir, port, clusters, refreshConcurrency, sqliteDirectory } = options;
  const entitiesFile = path.join(dir, 'entities.yaml');
  fs.writeFileSync(
    entitiesFile,
    YAML.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: BENCH_APP,
        annotations: {
          'backstage.io/kubernetes-id': BENCH_APP,
          // The generated objects carry `app` labels, not `backstage.io/kubernetes-id`; both
          // plugins give this selector precedence over the id.
          'backstage.io/kubernetes-label-selector': `app=${BENCH_APP}`,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'platform-team',
      },
    }),
  );
  const names = Object.keys(clusters);
  const config = {
    backend: {
      ...sqliteBackend(
        port,
        sqliteDirectory ? { directory: sqliteDirectory } : ':memory:',
      ),
      ...(options.database && { database: options.database }),
    },
    auth: GUEST_AUTH,
    catalog: {
      locations: [{ type: 'file', target: entitiesFile }],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: kubernetesPluginClusters(
        names.map(name => ({ name, ...clusters[name] })),
      ),
    },
    // Indexing and catalog ingestion of the atlas run later than the benchmark does, so that
    // they do not add load while it measures.
    search: { collators: { ingressAtlas: { schedule: later() } } },
    ingressAtlas: {
      importKubernetesConfig: false,
      catalog: { schedule: later() },
      refresh: {
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 5 },
        },
        clusterTimeoutSeconds: 300,
        ...(refreshConcurrency ? { concurrency: refreshConcurrency } : {}),
      },
      clusters: names.map(name => ({
        name,
        url: clusters[name].url,
        serviceAccountToken: clusters[name].token,
        provider: 'generic',
      })),
      providers: { tencent: [] },
    },
  };
  const file = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
  return file;
}

/** A schedule whose first run comes after any measurement is done. */
export function later() {
  return {
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    initialDelay: { hours: 12 },
  };
}

/** The backend on `port` of 127.0.0.1, with its databases in SQLite (`connection`). */
export function sqliteBackend(
  port: number,
  connection: { directory: string } | ':memory:',
) {
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    listen: { port, host: '127.0.0.1' },
    database: { client: 'better-sqlite3', connection },
  };
}

/** The Kubernetes plugin's clusters, located through config, each with its token. */
export function kubernetesPluginClusters(
  clusters: Array<{ name: string; url: string; token: string }>,
) {
  return [
    {
      type: 'config',
      clusters: clusters.map(({ name, url, token }) => ({
        name,
        url,
        authProvider: 'serviceAccount',
        serviceAccountToken: token,
        skipTLSVerify: true,
        skipMetricsLookup: true,
      })),
    },
  ];
}

/**
 * Guest sign-in for the runs' users. No User entity for the guest is in the runs' catalogs:
 * it is signed in with these refs, which the policy needs for `ingress-atlas.refresh`.
 */
export const GUEST_AUTH = {
  providers: {
    guest: {
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: [
        'user:default/guest',
        'group:default/platform-team',
      ],
      dangerouslyAllowOutsideDevelopment: true,
    },
  },
};

/** A log line of the backend (production format: one JSON object per line). */
export interface LogLine {
  at: number;
  message: string;
  plugin?: string;
  [key: string]: unknown;
}

export interface RunningBackend {
  url: string;
  pid: number;
  logs: LogLine[];
  /** RSS samples of the backend process since it was spawned. */
  memory: MemorySampler;
  /** Waits for a log line matching `test` that arrives after `since` (ms epoch). */
  waitForLog(
    test: (line: LogLine) => boolean,
    since: number,
    timeoutMs: number,
  ): Promise<LogLine>;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * Runs packages/backend/src/index.ts the way `backstage-cli package start` does (the same
 * transform of the sources on load), but without its file watcher, which would restart the
 * backend whenever a file of the repository changes, and with NODE_ENV=production.
 */
export async function startBackend(options: {
  port: number;
  configFile: string;
  logFile: string;
  nodeArgs?: string[];
  /** The backend's entry file; packages/backend/src/index.ts unless given. */
  entry?: string;
  /** Run inside this memory cgroup, as in a container with its memory limit. */
  cgroup?: MemoryCgroup;
}): Promise<RunningBackend> {
  const { port, configFile, logFile } = options;
  const logFd = fs.openSync(logFile, 'w');
  const node = {
    command: process.execPath,
    args: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ...(options.nodeArgs ?? []),
      options.entry ?? 'src/index.ts',
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      path.join(REPO_ROOT, 'app-config.sandbox.yaml'),
      '--config',
      configFile,
    ],
  };
  const run = options.cgroup
    ? inCgroup(options.cgroup, node.command, node.args)
    : node;
  const child = spawn(run.command, run.args, {
    cwd: path.join(REPO_ROOT, 'packages/backend'),
    // As the backend's image runs it (packages/backend/Dockerfile): two malloc arenas.
    env: {
      MALLOC_ARENA_MAX: '2',
      ...process.env,
      NODE_ENV: 'production',
    },
    // Straight into the log file: a write to a pipe blocks the backend on Linux until the
    // reader (this process, also the load's client) drains it.
    stdio: ['ignore', logFd, logFd],
  });
  const memory = sampleMemory(child.pid!);
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  const take = (text: string) => {
    // The backend logs every request it answers: thousands a second under load, left in
    // the log file, not parsed here.
    if (text.includes('"type":"incomingRequest"')) return;
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed.message === 'string') {
        logs.push({ ...parsed, at: Date.now() });
        waiters.forEach(wake => wake());
      }
    } catch {
      // Not a log line (e.g. a stack trace); it is in the log file.
    }
  };
  const tail = tailLines(logFile, LOG_POLL_MS, take);
  let exitCode: number | null = null;
  let exitedHow = '';
  child.once('exit', (code, signal) => {
    exitCode = code ?? -1;
    exitedHow =
      signal === 'SIGKILL' && oomKilled(options.cgroup)
        ? `killed at its memory limit of ${options.cgroup!.limitMiB} MiB`
        : `code ${code ?? signal}`;
    waiters.forEach(wake => wake());
  });

  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const backend: RunningBackend = {
    url,
    pid: child.pid!,
    logs,
    memory,
    exited: () => exitCode !== null,
    waitForLog: (test, since, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find(line => line.at >= since && test(line));
          if (found || exitCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            if (found) resolve(found);
            else
              reject(
                new Error(`The backend exited (${exitedHow}); see ${logFile}`),
              );
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `No matching backend log line within ${timeoutMs} ms; see ${logFile}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    // Once: the benchmark stops a backend when done with it, and again on cleanup.
    stop: () =>
      (stopped ??= (async () => {
        memory.stop();
        await stopChild(child);
        tail.stop();
        fs.closeSync(logFd);
      })()),
  };

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exitCode !== null) {
      throw new Error(
        `The backend exited during startup (${exitedHow}); see ${logFile}`,
      );
    }
    const ready = await fetch(`${url}/.backstage/health/v1/readiness`)
      .then(res => res.ok)
      .catch(() => false);
    if (ready) return backend;
    if (Date.now() > deadline) {
      await backend.stop();
      throw new Error(`The backend was not ready within 180 s; see ${logFile}`);
    }
    await sleep(250);
  }
}

/** Whether the kernel killed a process of `cgroup` for want of memory. */
function oomKilled(cgroup?: MemoryCgroup): boolean {
  try {
    return (cgroup?.oomKills() ?? 0) > 0;
  } catch {
    return false;
  }
}

export async function stopChild(
  child: ChildProcess,
  graceMs = 15_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of one process, from /proc (bytes). */
export function readMemory(
  pid: number,
): { rss: number; hwm: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(
        new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0,
      ) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

export type MemorySampler = ReturnType<typeof sampleMemory>;

/**
 * Samples a process's RSS every `everyMs`. `peakBetween(a, b)` is the highest RSS in [a, b]:
 * the highest sample, or the kernel's high-water mark (VmHWM) when that rose in the window,
 * which also catches peaks shorter than the sampling interval.
 */
export function sampleMemory(pid: number, everyMs = 100) {
  const samples: Array<{ at: number; rss: number; hwm: number }> = [];
  const take = () => {
    const memory = readMemory(pid);
    if (memory) samples.push({ at: Date.now(), ...memory });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    peakBetween: (from: number, to: number) => {
      const sampled = samples
        .filter(s => s.at >= from && s.at <= to)
        .reduce((max, s) => Math.max(max, s.rss), 0);
      const hwmBefore = samples.filter(s => s.at < from).pop()?.hwm ?? 0;
      const hwmAfter =
        samples.find(s => s.at > to)?.hwm ?? readMemory(pid)?.hwm ?? 0;
      return Math.max(sampled, hwmAfter > hwmBefore ? hwmAfter : 0);
    },
    /** One sample per `everyMs` in [from, to], as [at, rss]. */
    timeline: (from: number, to: number, stepMs: number) => {
      const picked: Array<[number, number]> = [];
      for (const s of samples) {
        const last = picked[picked.length - 1];
        if (s.at >= from && s.at <= to && (!last || s.at - last[0] >= stepMs)) {
          picked.push([s.at, s.rss]);
        }
      }
      return picked;
    },
    lastBefore: (at: number) => samples.filter(s => s.at < at).pop()?.rss ?? 0,
    hwm: () => readMemory(pid)?.hwm ?? 0,
    stop: () => clearInterval(timer),
  };
}

/** A guest's Backstage token from the sandbox portal's guest sign-in. */
export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `Guest sign-in failed: HTTP ${res.status} ${await res.text()}`,
    );
  }
  const body: any = await res.json();
  return body.backstageIdentity.token;
}

/** Polls `probe` until it gives a value (a throw counts as none yet), or the time is up. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** How often the log file is read for new lines: the error of the times taken from it. */
const LOG_POLL_MS = 50;

/** Calls `onLine` with each complete line appended to `file`, reading it every `everyMs`. */
function tailLines(
  file: string,
  everyMs: number,
  onLine: (line: string) => void,
) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1024 * 1024);
  let position = 0;
  let partial = '';
  const decoder = new StringDecoder('utf8');
  const read = () => {
    for (;;) {
      const bytes = fs.readSync(fd, buffer, 0, buffer.length, position);
      if (bytes === 0) return;
      position += bytes;
      const lines = (partial + decoder.write(buffer.subarray(0, bytes))).split(
        '\n',
      );
      partial = lines.pop()!;
      lines.forEach(onLine);
    }
  };
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      fs.closeSync(fd);
    },
  };
}
