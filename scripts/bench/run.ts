/*
 * Benchmarks the atlas against Backstage's Kubernetes plugin on a generated estate:
 *
 *   yarn bench [--clusters 20] [--services 5000] [--latency 100] [--concurrency 10]
 *              [--requests 200] [--changes 120] [--refresh-concurrency N] [--sqlite-on-disk]
 *              [--cpu-prof] [--backend-node-args="--trace-gc ..."] [--client node|wrk]
 *              [--memory-limit MiB]
 *
 * Starts the sandbox (K clusters of M Services, L ms added to every API request) and the real
 * backend on free ports, then measures the atlas's first refresh (wall time, requests per
 * cluster, peak RSS), the entity view of both plugins (p50/p99 at concurrency C over N
 * requests, cluster requests per view), the atlas's entity view at 100 concurrent requests
 * with no change made (what the machine gives the request thread), how long changes made in
 * the clusters take to show in the atlas's entity view (see changes.ts) while 100 concurrent
 * requests ask for it, and the atlas's entity view at 100 concurrent requests while a refresh
 * runs. Prints a table and writes test-results/bench/<time>.json;
 * --cpu-prof also writes a CPU profile of the backend next to it (see profile.ts);
 * --sqlite-on-disk keeps the databases in files instead of the process's memory, to tell the
 * backend's own memory from the database's; --client wrk sends the 100 concurrent requests
 * made before and while changes stream in from wrk (Debian's package), a load client in C
 * that leaves more of the machine's CPU to the backend than this script's own Node.js client;
 * --memory-limit runs both backends (with and without the atlas) each in a memory cgroup of that
 * limit, as in a pod with that memory limit: Node sizes its heaps from the limit instead of from
 * the machine's memory, and a backend that needs more is killed (see memoryLimit.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_APP,
  LogLine,
  RunningBackend,
  freePort,
  guestToken,
  startBackend,
  waitFor,
  writeBenchConfig,
} from './backend';
import {
  Call,
  LatencySummary,
  latencyTimeline,
  loadUntil,
  measure,
  summarize,
} from './load';
import { Stats, startSandboxProcess } from './sandbox';
import { changeLatency, timeChanges } from './changes';
import { CpuShares, cpuReferenceMs, cpuShares, cpuSharesText } from './cpu';
import { requireWrk, wrkLoad } from './wrk';
import { createMemoryCgroup } from './memoryLimit';
import { createLog, integerOption, onCleanup, runMain } from '../shared/run';

const REPO_ROOT = path.resolve(__dirname, '../..');
const ENTITY_REF = `component:default/${BENCH_APP}`;
const DURING_REFRESH_CONCURRENCY = 100;
const TARGETS = {
  p99Ratio: 20,
  clusterRequestsRatio: 100,
  refreshMs: 60_000,
  rssBytes: 1.5 * 1024 ** 3,
  duringRefreshP99Ms: 50,
  changeVisibleP99Ms: 2_000,
  duringChangesP99Ms: 50,
  atlasOwnMiB: 300,
};

/** How long the entity view is asked for at 100 concurrent requests before any change. */
const IDLE_VIEW_MS = 20_000;

/** How long the backend's memory is sampled at rest. */
const IDLE_MS = 30_000;

/** The backend's RSS over IDLE_MS with no request: the median, MiB. */
async function idleRss(backend: RunningBackend) {
  const from = Date.now();
  await new Promise(resolve => setTimeout(resolve, IDLE_MS));
  const samples = backend.memory
    .timeline(from, Date.now(), 1000)
    .map(([, rss]) => rss);
  return { medianMiB: mib(median(samples)) };
}

interface Options {
  clusters: number;
  services: number;
  latencyMs: number;
  concurrency: number;
  requests: number;
  changes: number;
  refreshConcurrency?: number;
  sqliteOnDisk: boolean;
  cpuProf: boolean;
  backendNodeArgs: string[];
  client: 'node' | 'wrk';
  memoryLimitMiB?: number;
}

function clientOption(value: string): Options['client'] {
  if (value !== 'node' && value !== 'wrk') {
    throw new Error(`--client is node or wrk, not ${JSON.stringify(value)}`);
  }
  return value;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '20' },
      services: { type: 'string', default: '5000' },
      latency: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '10' },
      requests: { type: 'string', default: '200' },
      changes: { type: 'string', default: '120' },
      'refresh-concurrency': { type: 'string' },
      'sqlite-on-disk': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'backend-node-args': { type: 'string', default: '' },
      client: { type: 'string', default: 'node' },
      'memory-limit': { type: 'string' },
    },
  });
  return {
    clusters: integerOption('clusters', values.clusters, 1),
    services: integerOption('services', values.services, 1),
    latencyMs: integerOption('latency', values.latency, 0),
    concurrency: integerOption('concurrency', values.concurrency, 1),
    requests: integerOption('requests', values.requests, 1),
    changes: integerOption('changes', values.changes, 0),
    refreshConcurrency:
      values['refresh-concurrency'] === undefined
        ? undefined
        : integerOption(
            'refresh-concurrency',
            values['refresh-concurrency'],
            1,
          ),
    sqliteOnDisk: values['sqlite-on-disk']!,
    cpuProf: values['cpu-prof']!,
    backendNodeArgs: values['backend-node-args']!.split(' ').filter(Boolean),
    client: clientOption(values.client!),
    memoryLimitMiB:
      values['memory-limit'] === undefined
        ? undefined
        : integerOption('memory-limit', values['memory-limit'], 256),
  };
}

const log = createLog('bench');

function requestsPerCluster(before: Stats, after: Stats) {
  const per = Object.keys(after.clusters).map(
    name =>
      after.clusters[name].requests - (before.clusters[name]?.requests ?? 0),
  );
  return {
    total: per.reduce((s, n) => s + n, 0),
    min: Math.min(...per),
    max: Math.max(...per),
    mean: Math.round((per.reduce((s, n) => s + n, 0) / per.length) * 10) / 10,
  };
}

async function getJson(url: string, token: string): Promise<any> {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok)
    throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** The refresh that logged "Refreshed the atlas" at `done`, reconstructed from the backend's logs. */
function refreshTiming(backend: RunningBackend, done: LogLine) {
  const ms = Number(done.ms);
  const startedAt = done.at - ms;
  const clusterLines = backend.logs.filter(
    l =>
      l.message === 'Refreshed cluster' && l.at >= startedAt && l.at <= done.at,
  );
  const failed = backend.logs.filter(
    l =>
      l.message.startsWith('Cluster refresh failed') &&
      l.at >= startedAt &&
      l.at <= done.at,
  );
  const collectedAt = Math.max(startedAt, ...clusterLines.map(l => l.at));
  return {
    wallMs: ms,
    startedAt,
    finishedAt: done.at,
    /** From the refresh's start until the last cluster was read and stored. */
    collectionMs: collectedAt - startedAt,
    /** Reading snapshots back, analysing, and storing and indexing the model. */
    modelMs: done.at - collectedAt,
    clustersOk: clusterLines.length,
    clustersFailed: failed.map(l => `${l.cluster}: ${l.error}`),
    perClusterMs: {
      min: Math.min(...clusterLines.map(l => Number(l.ms))),
      max: Math.max(...clusterLines.map(l => Number(l.ms))),
    },
    paths: done.paths,
    findings: done.findings,
  };
}

/** [seconds since the refresh started, RSS MiB], one a second. */
function rssTimeline(
  backend: RunningBackend,
  refresh: { startedAt: number; finishedAt: number },
) {
  return backend.memory
    .timeline(refresh.startedAt, refresh.finishedAt, 1000)
    .map(([at, rss]) => [
      Math.round((at - refresh.startedAt) / 100) / 10,
      mib(rss),
    ]);
}

const mib = (bytes: number) => Math.round(bytes / 1024 ** 2);

async function main() {
  const options = readOptions();
  if (options.client === 'wrk') requireWrk();
  const loadAverageAtStart = loadAverage();
  const cpuReferenceAtStart = cpuReferenceMs();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = path.join(REPO_ROOT, 'test-results/bench');
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-atlas-bench-'));
  onCleanup(async () => fs.rmSync(tmp, { recursive: true, force: true }));

  log(
    `Sandbox: ${options.clusters} clusters x ${options.services} Services, ${options.latencyMs} ms per request`,
  );
  const sandbox = await startSandboxProcess(options);
  log(`Sandbox ready in ${sandbox.startMs} ms (${sandbox.objects} objects)`);

  // One cgroup per backend, so that each one's count of reaching the limit is its own.
  const cgroupFor = (which: string) => {
    if (options.memoryLimitMiB === undefined) return undefined;
    const cgroup = createMemoryCgroup(
      `ingress-atlas-bench-${process.pid}-${which}`,
      options.memoryLimitMiB,
    );
    onCleanup(async () => cgroup.remove());
    return cgroup;
  };
  const atlasCgroup = cgroupFor('atlas');

  const port = await freePort();
  const configFile = writeBenchConfig({
    dir: tmp,
    port,
    clusters: sandbox.clusters,
    refreshConcurrency: options.refreshConcurrency,
    sqliteDirectory: options.sqliteOnDisk ? path.join(tmp, 'db') : undefined,
  });
  const logFile = path.join(outDir, `${stamp}.backend.log`);
  const profileDir = path.join(outDir, `${stamp}.cpuprofile`);
  log(
    `Starting the backend on :${port} (log: ${path.relative(
      REPO_ROOT,
      logFile,
    )})`,
  );
  const backendStarted = Date.now();
  const backend = await startBackend({
    port,
    configFile,
    logFile,
    nodeArgs: [
      ...(options.cpuProf
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
        : []),
      ...options.backendNodeArgs,
    ],
    cgroup: atlasCgroup,
  });
  onCleanup(() => backend.stop());
  const readyMs = Date.now() - backendStarted;
  log(`Backend ready in ${readyMs} ms (pid ${backend.pid})`);

  let token = await guestToken(backend.url);
  const api = `${backend.url}/api/ingress-atlas`;

  // 1. The first refresh.
  const firstDone = await backend.waitForLog(
    l => l.message === 'Refreshed the atlas',
    0,
    60 * 60_000,
  );
  const generatedAt = await waitFor(
    'generatedAt in GET /clusters',
    async () =>
      (
        await getJson(`${api}/clusters`, token)
      ).generatedAt as string | undefined,
    60_000,
  );
  const firstRefresh = refreshTiming(backend, firstDone);
  const clusterList = (await getJson(`${api}/clusters`, token))
    .clusters as Array<{
    name: string;
    status: string;
  }>;
  const afterRefresh = await sandbox.stats();
  const refreshRequests = requestsPerCluster(
    { clusters: {}, totalClusterRequests: 0 },
    afterRefresh,
  );
  const refreshPeakRss = backend.memory.peakBetween(
    firstRefresh.startedAt,
    firstRefresh.finishedAt,
  );
  const hwmAfterRefresh = backend.memory.hwm();
  log(
    `First refresh: ${firstRefresh.wallMs} ms, ${
      refreshRequests.mean
    } requests per cluster, peak RSS ${mib(refreshPeakRss)} MiB`,
  );

  // The entity view is only worth timing once the refresh knew the entity.
  const exposureUrl = `${api}/entities/component/default/${BENCH_APP}/exposure`;
  let exposure = await getJson(exposureUrl, token);
  let refreshedForEntity = false;
  if (exposure.paths.length === 0) {
    log(
      'The first refresh ran before the catalog had the entity; refreshing again',
    );
    await waitFor(
      'the entity in the catalog',
      async () =>
        (await fetch(
          `${backend.url}/api/catalog/entities/by-name/component/default/${BENCH_APP}`,
          {
            headers: { Authorization: `Bearer ${token}` },
          },
        ).then(r => r.ok)) || undefined,
      120_000,
    );
    const since = Date.now();
    await triggerRefresh(api, token);
    await backend.waitForLog(
      l => l.message === 'Refreshed the atlas',
      since,
      60 * 60_000,
    );
    exposure = await getJson(exposureUrl, token);
    refreshedForEntity = true;
  }
  const entity = await getJson(
    `${backend.url}/api/catalog/entities/by-name/component/default/${BENCH_APP}`,
    token,
  );

  // The backend at rest with the model loaded, before the request load.
  const afterFirstLoad = await idleRss(backend);
  log(
    `Backend at rest after the first load: RSS median ${afterFirstLoad.medianMiB} MiB`,
  );

  // 2. The entity view of each plugin.
  token = await guestToken(backend.url);
  const ours: Call = {
    url: exposureUrl,
    headers: { Authorization: `Bearer ${token}` },
  };
  const kubernetes: Call = {
    url: `${backend.url}/api/kubernetes/services/${BENCH_APP}`,
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ entity, auth: {} }),
  };
  const kubernetesSample: any = await (
    await fetch(kubernetes.url, {
      method: kubernetes.method,
      headers: kubernetes.headers,
      body: kubernetes.body,
    })
  ).json();
  const kubernetesObjects = (kubernetesSample.items ?? []).reduce(
    (sum: number, item: any) =>
      sum +
      (item.resources ?? []).reduce(
        (n: number, r: any) => n + (r.resources?.length ?? 0),
        0,
      ),
    0,
  );
  const kubernetesErrors: string[] = (kubernetesSample.items ?? []).flatMap(
    (item: any) =>
      (item.errors ?? []).map((e: any) =>
        `${e.errorType} ${e.statusCode ?? ''} ${e.resourcePath ?? ''}`.trim(),
      ),
  );

  /**
   * 100 concurrent requests of `call` from the load client until `stop()`: their latency, and
   * where the machine's CPU went meanwhile, with the request thread's CPU per request answered.
   */
  const viewLoad = (call: Call) => {
    const started = Date.now();
    const wrk =
      options.client === 'wrk'
        ? wrkLoad(call, { concurrency: DURING_REFRESH_CONCURRENCY })
        : undefined;
    if (wrk) onCleanup(async () => wrk.kill());
    let stopped = false;
    const fromNode = wrk
      ? undefined
      : loadUntil(call, {
          concurrency: DURING_REFRESH_CONCURRENCY,
          done: () => stopped,
          maxMs: 60 * 60_000,
          maxCount: 50_000_000,
        });
    const cpu = cpuShares({
      sandbox: sandbox.pid,
      backend: backend.pid,
      wrk: wrk?.pid,
    });
    return {
      async stop() {
        stopped = true;
        const finished = Date.now();
        const shares = cpu.stop();
        const latency = wrk
          ? await wrk.stop()
          : summarize((await fromNode!).samples, finished - started);
        return {
          latency,
          cpu: shares && {
            ...shares,
            requestThreadUsPerRequest: Math.round(
              (shares.backendRequestThread * shares.wallMs * 10) /
                Math.max(latency.requests, 1),
            ),
          },
        };
      },
    };
  };

  const view = async (name: string, call: Call, warmUp: number) => {
    await measure(call, { concurrency: options.concurrency, count: warmUp });
    const before = await sandbox.stats();
    log(
      `${name}: ${options.requests} requests at concurrency ${options.concurrency}`,
    );
    const started = Date.now();
    const latency = await measure(call, {
      concurrency: options.concurrency,
      count: options.requests,
    });
    const finished = Date.now();
    const after = await sandbox.stats();
    const requests = requestsPerCluster(before, after);
    return {
      latency,
      /** ms since the backend was spawned, for profile.ts and --trace-gc output. */
      windowMs: [started - backendStarted, finished - backendStarted],
      clusterRequestsPerView:
        Math.round((requests.total / options.requests) * 10) / 10,
    };
  };
  const oursView = await view('Ingress Atlas exposure', ours, 20);
  const kubernetesView = await view(
    'Kubernetes objects-by-entity',
    kubernetes,
    3,
  );

  // 3. The same 100 concurrent views with no change made (the atlas idle): what the request
  // thread answers on this machine at that concurrency, before any change streams in.
  token = await guestToken(backend.url);
  ours.headers.Authorization = `Bearer ${token}`;
  log(
    `${DURING_REFRESH_CONCURRENCY} concurrent exposure requests for ${
      IDLE_VIEW_MS / 1000
    } s, no change made`,
  );
  const idleLoad = viewLoad(ours);
  await new Promise(resolve => setTimeout(resolve, IDLE_VIEW_MS));
  const viewIdle = await idleLoad.stop();

  // 4. Changes made in the clusters, each timed until the entity view shows it, while 100
  // concurrent requests ask for that view.
  const beforeChanges = await sandbox.stats();
  const changesStarted = Date.now();
  log(
    `${options.changes} changes in the clusters, each timed until the entity view shows it, ${DURING_REFRESH_CONCURRENCY} concurrent exposure requests meanwhile`,
  );
  const changesLoad = viewLoad(ours);
  const changes = await timeChanges({
    clusters: sandbox.clusters,
    exposureUrl,
    token: () => token,
    count: options.changes,
    timeoutMs: 60_000,
    maxMs: 30 * 60_000,
    onProgress: (done, change) => {
      if (done % 10 === 0 || change.visibleMs === undefined) {
        log(
          `  ${done} changes; last (${change.kind} in ${change.cluster}) ${
            change.visibleMs === undefined
              ? 'not seen'
              : `seen after ${change.visibleMs} ms`
          }`,
        );
      }
    },
  });
  const changesFinished = Date.now();
  const { latency: duringChanges, cpu: changesCpu } = await changesLoad.stop();
  const afterChanges = await sandbox.stats();
  const changeRequests = verbCounts(beforeChanges, afterChanges);
  const changesSeen = changeLatency(changes);
  const changesRss = backend.memory.timeline(
    changesStarted,
    changesFinished,
    1000,
  );

  // The backend at rest once the changes are published: its steady-state memory.
  const steady = await idleRss(backend);
  log(`Backend at rest after the changes: RSS median ${steady.medianMiB} MiB`);

  // 5. The atlas's entity view at 100 concurrent requests while a refresh runs, until the
  // backend logs the end of that refresh (publications of the changes above still queued
  // would change the view's revision before it).
  const triggeredAt = Date.now();
  await triggerRefresh(api, token);
  log(
    `Refresh triggered; ${DURING_REFRESH_CONCURRENCY} concurrent exposure requests until it ends`,
  );
  let refreshed = false;
  const refreshLogged = backend
    .waitForLog(
      l => l.message === 'Refreshed the atlas',
      triggeredAt,
      30 * 60_000,
    )
    .finally(() => {
      refreshed = true;
    });
  const underLoad = await loadUntil(ours, {
    concurrency: DURING_REFRESH_CONCURRENCY,
    done: () => refreshed,
    maxMs: 30 * 60_000,
    maxCount: 5_000_000,
  });
  const secondDone = await refreshLogged;
  const secondRefresh = refreshTiming(backend, secondDone);
  const inWindow = underLoad.samples.filter(
    s => s.at >= secondRefresh.startedAt && s.at <= secondRefresh.finishedAt,
  );
  const duringRefresh = summarize(
    inWindow,
    secondRefresh.finishedAt - secondRefresh.startedAt,
  );
  const duringPeakRss = backend.memory.peakBetween(
    secondRefresh.startedAt,
    secondRefresh.finishedAt,
  );

  // The whole model, as the search collator and the catalog provider read it.
  const wholeStarted = performance.now();
  const whole = await fetch(`${api}/exposures`, { headers: ours.headers });
  // Counted as it arrives: at 100 clusters the body is longer than a string can be.
  let wholeBytes = 0;
  for await (const chunk of whole.body ?? []) wholeBytes += chunk.byteLength;
  const wholeModel = {
    status: whole.status,
    ms: Math.round(performance.now() - wholeStarted),
    mib: Math.round((wholeBytes / 1024 ** 2) * 10) / 10,
  };

  // The same backend without the atlas's plugins, at rest after startup: the baseline of the
  // atlas's own memory.
  await backend.stop();
  const atlasLimitReached = atlasCgroup?.limitReached();
  log('Starting the same backend without the atlas plugins');
  const baselineCgroup = cgroupFor('baseline');
  const baselineBackend = await startBackend({
    port,
    configFile,
    logFile: path.join(outDir, `${stamp}.baseline.log`),
    entry: path.join(__dirname, 'withoutAtlas.ts'),
    cgroup: baselineCgroup,
  });
  onCleanup(() => baselineBackend.stop());
  const baselineAtStart = await idleRss(baselineBackend);
  log(
    `Without the atlas, at rest after startup: RSS median ${baselineAtStart.medianMiB} MiB`,
  );
  // Then through the load the atlas's backend had before its rest: as many concurrent
  // requests, as long, to an entity of the catalog (a read both backends serve), so that what
  // the request load grows the process to (V8's heaps, the allocator's arenas) is in both.
  const baselineToken = await guestToken(baselineBackend.url);
  const loadEnds = Date.now() + (changesFinished - changesStarted);
  const baselineLoad = await loadUntil(
    {
      url: `${baselineBackend.url}/api/catalog/entities/by-name/component/default/${BENCH_APP}`,
      headers: { Authorization: `Bearer ${baselineToken}` },
    },
    {
      concurrency: DURING_REFRESH_CONCURRENCY,
      done: () => Date.now() >= loadEnds,
      maxMs: changesFinished - changesStarted + 60_000,
      maxCount: 50_000_000,
    },
  );
  const baseline = await idleRss(baselineBackend);
  await baselineBackend.stop();
  const memoryLimit = options.memoryLimitMiB && {
    limitMiB: options.memoryLimitMiB,
    /** How often each backend reached the limit (the kernel reclaimed its pages then). */
    limitReached: {
      atlas: atlasLimitReached,
      withoutAtlas: baselineCgroup?.limitReached(),
    },
  };
  const atlasOwnMiB = steady.medianMiB - baseline.medianMiB;
  log(
    `Without the atlas, at rest after ${
      baselineLoad.samples.length
    } catalog requests at c=${DURING_REFRESH_CONCURRENCY}: RSS median ${
      baseline.medianMiB
    } MiB; the atlas's own ${atlasOwnMiB} MiB (${
      steady.medianMiB - baselineAtStart.medianMiB
    } MiB against the backend at rest after startup)`,
  );

  // 6. Report.
  const ratio = (a: number, b: number) =>
    b === 0 ? (a === 0 ? 1 : Infinity) : Math.round((a / b) * 10) / 10;
  const p99Ratio = ratio(kubernetesView.latency.p99Ms, oursView.latency.p99Ms);
  const requestsRatio = ratio(
    kubernetesView.clusterRequestsPerView,
    oursView.clusterRequestsPerView,
  );
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
      /** A fixed piece of work timed in this process at the start and the end (see cpu.ts). */
      cpuReferenceMs: [cpuReferenceAtStart, cpuReferenceMs()],
    },
    options,
    ...(memoryLimit && { memoryLimit }),
    sandbox: { objects: sandbox.objects, startMs: sandbox.startMs },
    backend: {
      readyMs,
      rssBeforeRefreshMiB: mib(
        backend.memory.lastBefore(firstRefresh.startedAt),
      ),
      hwmAfterFirstRefreshMiB: mib(hwmAfterRefresh),
      logFile: path.relative(REPO_ROOT, logFile),
      /** The refreshes as ms since the backend was spawned, for profile.ts --from/--to. */
      refreshWindowsMs: [firstRefresh, secondRefresh].map(r => [
        r.startedAt - backendStarted,
        r.finishedAt - backendStarted,
      ]),
    },
    firstRefresh: {
      ...firstRefresh,
      generatedAt,
      clusterStatuses: countBy(clusterList.map(c => c.status)),
      requestsPerCluster: refreshRequests,
      peakRssMiB: mib(refreshPeakRss),
      rssTimeline: rssTimeline(backend, firstRefresh),
    },
    entity: {
      ref: ENTITY_REF,
      refreshedForEntity,
      atlasPaths: exposure.paths.length,
      atlasClusters: exposure.clusters.length,
      atlasBytesByField: Object.fromEntries(
        Object.entries(exposure).map(([key, value]) => [
          key,
          Buffer.byteLength(JSON.stringify(value) ?? ''),
        ]),
      ),
      atlasCountsByField: Object.fromEntries(
        Object.entries(exposure)
          .filter(([, value]) => Array.isArray(value))
          .map(([key, value]) => [key, (value as unknown[]).length]),
      ),
      kubernetesObjects,
      kubernetesErrors: kubernetesErrors.length,
      kubernetesErrorKinds: [...new Set(kubernetesErrors)],
    },
    atlasView: oursView,
    kubernetesView,
    /** The entity view at 100 concurrent requests before any change, the atlas idle. */
    viewWithoutChanges: viewIdle,
    exposuresEndpoint: wholeModel,
    changes: {
      latency: changesSeen,
      /** Requests the backend made to the clusters meanwhile, by verb. */
      clusterRequests: changeRequests,
      viewDuringChanges: duringChanges,
      /** Backend RSS while changes stream in, MiB: the median and the highest sample. */
      rssMiB: {
        median: mib(median(changesRss.map(([, rss]) => rss))),
        max: mib(Math.max(...changesRss.map(([, rss]) => rss))),
      },
      /** Where the CPU went meanwhile, in % of one core (see cpu.ts). */
      cpu: changesCpu,
      all: changes,
    },
    /**
     * Backend RSS at rest (median over IDLE_MS) after the changes and their request load, and
     * after the first load (before the request load); the same backend's without the atlas: at
     * rest after the same request load (what `atlasOwnMiB` subtracts), and after startup.
     */
    steadyState: {
      rssMiB: steady.medianMiB,
      afterFirstLoadRssMiB: afterFirstLoad.medianMiB,
      withoutAtlasRssMiB: baseline.medianMiB,
      withoutAtlasAtStartRssMiB: baselineAtStart.medianMiB,
      baselineRequests: baselineLoad.samples.length,
      atlasOwnMiB,
    },
    duringRefresh: {
      concurrency: DURING_REFRESH_CONCURRENCY,
      finished: underLoad.finished,
      latency: duringRefresh,
      allRequests: underLoad.samples.length,
      refresh: secondRefresh,
      peakRssMiB: mib(duringPeakRss),
      rssTimeline: rssTimeline(backend, secondRefresh),
      /** By second since the refresh started: requests sent, their p50 and p99. */
      timeline: latencyTimeline(inWindow, secondRefresh.startedAt, 1000),
    },
    targets: {
      p99Ratio: {
        value: p99Ratio,
        target: `>= ${TARGETS.p99Ratio}`,
        met: p99Ratio >= TARGETS.p99Ratio,
      },
      clusterRequestsRatio: {
        value: requestsRatio,
        target: `>= ${TARGETS.clusterRequestsRatio}`,
        met: requestsRatio >= TARGETS.clusterRequestsRatio,
      },
      changeVisibleP99Ms: {
        value: changesSeen.p99Ms,
        target: `< ${TARGETS.changeVisibleP99Ms}`,
        met: changesSeen.p99Ms < TARGETS.changeVisibleP99Ms,
      },
      listsWhileChanging: {
        value: changeRequests.list ?? 0,
        target: '= 0',
        met: (changeRequests.list ?? 0) === 0,
      },
      duringChangesP99Ms: {
        value: duringChanges.p99Ms,
        target: `< ${TARGETS.duringChangesP99Ms}`,
        met: duringChanges.p99Ms < TARGETS.duringChangesP99Ms,
      },
      atlasOwnMemoryMiB: {
        value: atlasOwnMiB,
        target: `< ${TARGETS.atlasOwnMiB}`,
        met: atlasOwnMiB < TARGETS.atlasOwnMiB,
      },
      refreshMs: {
        value: firstRefresh.wallMs,
        target: `< ${TARGETS.refreshMs}`,
        met: firstRefresh.wallMs < TARGETS.refreshMs,
      },
      refreshPeakRssMiB: {
        value: mib(refreshPeakRss),
        target: `< ${mib(TARGETS.rssBytes)}`,
        met: refreshPeakRss < TARGETS.rssBytes,
      },
      duringRefreshP99Ms: {
        value: duringRefresh.p99Ms,
        target: `< ${TARGETS.duringRefreshP99Ms}`,
        met: duringRefresh.p99Ms < TARGETS.duringRefreshP99Ms,
      },
    },
  };
  const jsonFile = path.join(outDir, `${stamp}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  printReport(result, oursView.latency, kubernetesView.latency);
  process.stdout.write(`\nWritten: ${path.relative(REPO_ROOT, jsonFile)}\n`);
  if (options.cpuProf) {
    process.stdout.write(
      `CPU profile (written when the backend stops): ${path.relative(
        REPO_ROOT,
        profileDir,
      )}/\n`,
    );
  }
}

async function triggerRefresh(api: string, token: string) {
  const res = await fetch(`${api}/refresh`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 202) {
    throw new Error(`POST /refresh: HTTP ${res.status} ${await res.text()}`);
  }
}

function cpuText(
  cpu: (CpuShares & { requestThreadUsPerRequest: number }) | undefined,
) {
  return cpu
    ? `${cpuSharesText(cpu)}; the request thread's CPU ${
        cpu.requestThreadUsPerRequest
      } µs per request answered`
    : 'not read (no /proc)';
}

function loadAverage() {
  return os.loadavg().map(n => Math.round(n * 100) / 100);
}

/** Requests to all clusters between two stats, by verb. */
function verbCounts(before: Stats, after: Stats) {
  const counts: Record<string, number> = {};
  for (const [name, cluster] of Object.entries(after.clusters)) {
    for (const [verb, n] of Object.entries(cluster.byVerb)) {
      counts[verb] =
        (counts[verb] ?? 0) + n - (before.clusters[name]?.byVerb[verb] ?? 0);
    }
  }
  return counts;
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function countBy(values: string[]) {
  const counts: Record<string, number> = {};
  values.forEach(v => (counts[v] = (counts[v] ?? 0) + 1));
  return counts;
}

function printReport(result: any, ours: LatencySummary, kube: LatencySummary) {
  const o = result.options as Options;
  const r = result.firstRefresh;
  const rows: Array<[string, string]> = [
    [
      'estate',
      `${o.clusters} clusters x ${o.services} Services, ${o.latencyMs} ms per API request (${result.sandbox.objects} objects)`,
    ],
    ...(result.memoryLimit
      ? ([
          [
            'memory limit',
            `${result.memoryLimit.limitMiB} MiB cgroup per backend; reached ${result.memoryLimit.limitReached.atlas} times with the atlas, ${result.memoryLimit.limitReached.withoutAtlas} without`,
          ],
        ] as Array<[string, string]>)
      : []),
    [
      'first refresh',
      `${(r.wallMs / 1000).toFixed(1)} s (collection ${(
        r.collectionMs / 1000
      ).toFixed(1)} s, model ${(r.modelMs / 1000).toFixed(
        1,
      )} s), clusters ${JSON.stringify(r.clusterStatuses)}`,
    ],
    [
      'requests per cluster',
      `${r.requestsPerCluster.mean} (min ${r.requestsPerCluster.min}, max ${r.requestsPerCluster.max})`,
    ],
    [
      'backend RSS',
      `before the refresh ${result.backend.rssBeforeRefreshMiB} MiB, peak during refresh ${r.peakRssMiB} MiB, VmHWM ${result.backend.hwmAfterFirstRefreshMiB} MiB`,
    ],
    [
      'machine',
      `${result.machine.cpus} cores, load average ${
        result.machine.loadAverageAtStart[0]
      } at the start; reference work ${result.machine.cpuReferenceMs.join(
        ' ms at the start, ',
      )} ms at the end`,
    ],
    [
      'entity',
      `${result.entity.ref}: atlas ${result.entity.atlasPaths} paths in ${
        result.entity.atlasClusters
      } clusters; Kubernetes plugin ${
        result.entity.kubernetesObjects
      } objects, ${result.entity.kubernetesErrors} errors${
        result.entity.kubernetesErrorKinds.length
          ? ` (${result.entity.kubernetesErrorKinds.join(', ')})`
          : ''
      }`,
    ],
    [
      `atlas view (c=${o.concurrency}, n=${o.requests})`,
      latencyText(ours, result.atlasView.clusterRequestsPerView),
    ],
    [
      `Kubernetes view (c=${o.concurrency}, n=${o.requests})`,
      latencyText(kube, result.kubernetesView.clusterRequestsPerView),
    ],
    [
      `atlas view during refresh (c=${DURING_REFRESH_CONCURRENCY})`,
      `${latencyText(result.duringRefresh.latency)}; refresh took ${(
        result.duringRefresh.refresh.wallMs / 1000
      ).toFixed(1)} s, peak RSS ${result.duringRefresh.peakRssMiB} MiB`,
    ],
    [
      `atlas view, no change made (c=${DURING_REFRESH_CONCURRENCY})`,
      `${latencyText(result.viewWithoutChanges.latency)}; CPU: ${cpuText(
        result.viewWithoutChanges.cpu,
      )}`,
    ],
    [
      `changes seen in the entity view (c=${DURING_REFRESH_CONCURRENCY} meanwhile)`,
      `${result.changes.latency.changes} changes, p50 ${
        result.changes.latency.p50Ms
      } ms, p90 ${result.changes.latency.p90Ms} ms, p99 ${
        result.changes.latency.p99Ms
      } ms, max ${result.changes.latency.maxMs} ms, ${
        result.changes.latency.notVisible
      } not seen; cluster requests ${JSON.stringify(
        result.changes.clusterRequests,
      )}`,
    ],
    [
      `atlas view while changes stream in (c=${DURING_REFRESH_CONCURRENCY})`,
      `${latencyText(result.changes.viewDuringChanges)}; backend RSS median ${
        result.changes.rssMiB.median
      } MiB, max ${result.changes.rssMiB.max} MiB`,
    ],
    ['CPU while changes stream in', cpuText(result.changes.cpu)],
    [
      'backend RSS at rest',
      `${result.steadyState.rssMiB} MiB (${result.steadyState.afterFirstLoadRssMiB} MiB after the first load, before the request load); without the atlas plugins ${result.steadyState.withoutAtlasRssMiB} MiB after the same request load (${result.steadyState.withoutAtlasAtStartRssMiB} MiB after startup): the atlas's own ${result.steadyState.atlasOwnMiB} MiB`,
    ],
    [
      'GET /exposures (whole model)',
      `HTTP ${result.exposuresEndpoint.status}, ${result.exposuresEndpoint.ms} ms, ${result.exposuresEndpoint.mib} MiB`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write('\n');
  rows.forEach(([k, v]) => process.stdout.write(`${k.padEnd(width)}  ${v}\n`));
  process.stdout.write('\nTargets\n');
  for (const [name, t] of Object.entries<any>(result.targets)) {
    process.stdout.write(
      `  ${t.met ? 'met   ' : 'MISSED'}  ${name.padEnd(22)} ${String(
        t.value,
      ).padStart(10)}  (target ${t.target})\n`,
    );
  }
}

function latencyText(l: LatencySummary, perView?: number) {
  return (
    `p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms, ${
      l.requestsPerSecond
    } req/s, ${l.requests} requests, ${l.errors} errors, ${Math.round(
      l.responseBytes / 1024,
    )} KiB` +
    (perView === undefined ? '' : `, ${perView} cluster requests per view`)
  );
}

runMain(main, 1);
