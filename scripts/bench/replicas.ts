/*
 * Two replicas of the backend on one PostgreSQL database, as a highly available portal runs:
 *
 *   yarn bench:replicas [--clusters 20] [--services 1000] [--latency 100] [--changes 30]
 *
 * Starts the sandbox (K clusters of M Services, L ms added to every API request), a throwaway
 * PostgreSQL (scripts/postgres.sh) and two backends sharing its databases. One replica holds
 * the watches; both serve what they publish. Measures, for N changes made in the clusters, how
 * long each replica's entity view takes to show each change and how far apart the two are;
 * then kills the watching replica (SIGKILL: no shutdown hook, no lease given back) and
 * measures how long the survivor takes to show changes made from then on, how many LIST
 * requests that takeover cost, and whether the survivor kept answering meanwhile. Prints a
 * table and writes test-results/bench/replicas-<time>.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_APP,
  RunningBackend,
  freePort,
  guestToken,
  sleep,
  startBackend,
  waitFor,
  writeBenchConfig,
} from './backend';
import { Exposure, changeMaker, exposureReader } from './changes';
import { percentile } from './load';
import { startSandboxProcess } from './sandbox';
import { createLog, integerOption, onCleanup, runMain } from '../shared/run';

const REPO_ROOT = path.resolve(__dirname, '../..');
const log = createLog('bench:replicas');

/** How long a change may take to show before it counts as never seen. */
const CHANGE_TIMEOUT_MS = 120_000;

function readOptions() {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '20' },
      services: { type: 'string', default: '1000' },
      latency: { type: 'string', default: '100' },
      changes: { type: 'string', default: '30' },
    },
  });
  return {
    clusters: integerOption('clusters', values.clusters, 1),
    services: integerOption('services', values.services, 1),
    latencyMs: integerOption('latency', values.latency, 0),
    changes: integerOption('changes', values.changes, 1),
  };
}

interface Replica {
  name: 'A' | 'B';
  backend: RunningBackend;
  token: string;
  read: () => Promise<Exposure>;
  /** Reads that failed (an error status or no answer), with what they said. */
  failures: string[];
}

/** Polls `replica` until `shows` holds of its entity view; ms from `since`, or undefined. */
async function visibleOn(
  replica: Replica,
  shows: (e: Exposure) => boolean,
  since: number,
): Promise<number | undefined> {
  while (performance.now() - since < CHANGE_TIMEOUT_MS) {
    try {
      if (shows(await replica.read()))
        return Math.round(performance.now() - since);
    } catch (error) {
      replica.failures.push((error as Error).message);
    }
    await sleep(50);
  }
  return undefined;
}

const summary = (ms: Array<number | undefined>) => {
  const sorted = ms.map(v => v ?? Infinity).sort((a, b) => a - b);
  return {
    changes: ms.length,
    notVisible: ms.filter(v => v === undefined).length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1],
  };
};

async function main() {
  const options = readOptions();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = path.join(REPO_ROOT, 'test-results/bench');
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-atlas-replicas-'));
  onCleanup(async () => fs.rmSync(tmp, { recursive: true, force: true }));

  log(
    `Sandbox: ${options.clusters} clusters x ${options.services} Services, ${options.latencyMs} ms per request`,
  );
  const sandbox = await startSandboxProcess(options);
  log(`Sandbox ready in ${sandbox.startMs} ms (${sandbox.objects} objects)`);

  const postgres = execFileSync(
    'bash',
    [path.join(REPO_ROOT, 'scripts/postgres.sh'), 'start'],
    {
      encoding: 'utf8',
    },
  ).trim();
  // Databases of their own for this run: each plugin's is named with this prefix.
  const database = {
    client: 'pg',
    connection: postgres,
    prefix: `bench${Date.now().toString(36)}_`,
  };
  log(`PostgreSQL at ${postgres}, databases ${database.prefix}*`);

  const replicas: Replica[] = [];
  for (const name of ['A', 'B'] as const) {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
    const configFile = writeBenchConfig({
      dir,
      port,
      clusters: sandbox.clusters,
      database,
    });
    const logFile = path.join(outDir, `replicas-${stamp}.${name}.log`);
    const backend = await startBackend({ port, configFile, logFile });
    onCleanup(() => backend.stop());
    const token = await guestToken(backend.url);
    const url = `${backend.url}/api/ingress-atlas/entities/component/default/${BENCH_APP}/exposure`;
    replicas.push({
      name,
      backend,
      token,
      read: exposureReader(url, () => token),
      failures: [],
    });
    log(
      `Replica ${name} ready on :${port} (pid ${
        backend.pid
      }, log ${path.relative(REPO_ROOT, logFile)})`,
    );
  }

  const refreshed = () =>
    Promise.any(
      replicas.map(r =>
        r.backend.waitForLog(
          l => l.message === 'Refreshed the atlas',
          0,
          60 * 60_000,
        ),
      ),
    );
  const first = await refreshed();
  log(`First refresh: ${first.ms} ms`);
  const showsEntity = (e: Exposure) => e.paths.length > 0;
  if (
    !(
      await Promise.all(replicas.map(async r => showsEntity(await r.read())))
    ).every(Boolean)
  ) {
    // The first refresh ran before the catalog had the entity: once the catalog has it, a
    // refresh asked of either replica publishes it to both.
    await waitFor(
      'the entity in the catalog',
      async () =>
        (await fetch(
          `${replicas[0].backend.url}/api/catalog/entities/by-name/component/default/${BENCH_APP}`,
          {
            headers: { Authorization: `Bearer ${replicas[0].token}` },
          },
        ).then(r => r.ok)) || undefined,
      120_000,
    );
    const res = await fetch(
      `${replicas[0].backend.url}/api/ingress-atlas/refresh`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${replicas[0].token}` },
      },
    );
    if (res.status !== 202)
      throw new Error(`POST /refresh: HTTP ${res.status}`);
    for (const replica of replicas) {
      if (
        (await visibleOn(replica, showsEntity, performance.now())) === undefined
      ) {
        throw new Error(`Replica ${replica.name} never showed ${BENCH_APP}`);
      }
    }
  }
  const watcher = await waitFor(
    'a replica watching the clusters',
    async () =>
      replicas.find(r =>
        r.backend.logs.some(l => l.message === 'Watching cluster'),
      ),
    120_000,
  );
  const survivor = replicas.find(r => r !== watcher)!;
  log(
    `Replica ${watcher.name} holds the watches; ${survivor.name} serves what they publish`,
  );

  // 1. Changes seen by both replicas.
  const next = changeMaker(sandbox.clusters);
  const both: Array<{
    kind: string;
    cluster: string;
    ms: Record<string, number | undefined>;
  }> = [];
  for (let i = 0; i < options.changes; i++) {
    const { change, cluster } = await next();
    const made = performance.now();
    const seen = await Promise.all(
      replicas.map(r => visibleOn(r, change.shows, made)),
    );
    both.push({
      kind: change.kind,
      cluster,
      ms: Object.fromEntries(replicas.map((r, k) => [r.name, seen[k]])),
    });
    log(
      `Change ${i + 1}/${options.changes} (${
        change.kind
      } on ${cluster}): ${replicas
        .map((r, k) => `${r.name} ${seen[k] ?? 'not seen'} ms`)
        .join(', ')}`,
    );
  }
  const apart = both
    .filter(c => c.ms.A !== undefined && c.ms.B !== undefined)
    .map(c => Math.abs(c.ms.A! - c.ms.B!));

  // 2. The watching replica dies; the survivor takes the watches over and shows new changes.
  const before = await sandbox.stats();
  const killedAt = Date.now();
  const killed = performance.now();
  process.kill(watcher.backend.pid, 'SIGKILL');
  log(`Killed replica ${watcher.name} (SIGKILL)`);
  const afterKill: Array<{
    kind: string;
    sinceKillMs?: number;
    sinceChangeMs?: number;
  }> = [];
  for (let i = 0; i < Math.min(options.changes, 10); i++) {
    const { change, cluster } = await next();
    const made = performance.now();
    const ms = await visibleOn(survivor, change.shows, made);
    afterKill.push({
      kind: change.kind,
      sinceChangeMs: ms,
      sinceKillMs:
        ms === undefined ? undefined : Math.round(made + ms - killed),
    });
    log(
      `After the kill, change ${i + 1} (${change.kind} on ${cluster}): ${
        ms ?? 'not seen'
      } ms`,
    );
  }
  const after = await sandbox.stats();
  const takeover = survivor.backend.logs.find(
    l => l.at >= killedAt && l.message === 'Watching cluster',
  );
  const lists = Object.entries(
    after.clusters as Record<string, { byVerb: Record<string, number> }>,
  )
    .map(
      ([name, c]) =>
        (c.byVerb.list ?? 0) - (before.clusters[name]?.byVerb.list ?? 0),
    )
    .reduce((sum, n) => sum + n, 0);

  const result = {
    startedAt: stamp,
    options,
    machine: {
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map(n => Math.round(n * 100) / 100),
    },
    objects: sandbox.objects,
    firstRefreshMs: first.ms,
    bothReplicas: {
      byReplica: Object.fromEntries(
        replicas.map(r => [r.name, summary(both.map(c => c.ms[r.name]))]),
      ),
      apart: summary(apart),
      changes: both,
    },
    failover: {
      watcher: watcher.name,
      takeoverMs: takeover ? takeover.at - killedAt : undefined,
      listRequests: lists,
      firstChangeSinceKillMs: afterKill[0]?.sinceKillMs,
      changes: summary(afterKill.map(c => c.sinceChangeMs)),
      survivorFailedReads: survivor.failures.length,
      survivorFailures: [...new Set(survivor.failures)].slice(0, 5),
    },
  };
  const jsonFile = path.join(outDir, `replicas-${stamp}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);

  const ms = (v: number | undefined) =>
    v === undefined || v === Infinity ? 'not seen' : `${v} ms`;
  const rows = [
    ...replicas.map(r => {
      const s = result.bothReplicas.byReplica[r.name];
      return [
        `change visible on replica ${r.name}${
          r === watcher ? ' (watching)' : ''
        }`,
        `p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}, ${s.notVisible} of ${
          s.changes
        } not seen`,
      ];
    }),
    [
      'the two replicas apart, per change',
      `p50 ${ms(result.bothReplicas.apart.p50Ms)}, p99 ${ms(
        result.bothReplicas.apart.p99Ms,
      )}, max ${ms(result.bothReplicas.apart.maxMs)}`,
    ],
    ['watches taken over after the kill', ms(result.failover.takeoverMs)],
    [
      'first change after the kill, visible (from the kill)',
      ms(result.failover.firstChangeSinceKillMs),
    ],
    [
      'changes after the kill, visible on the survivor',
      `p50 ${ms(result.failover.changes.p50Ms)}, p99 ${ms(
        result.failover.changes.p99Ms,
      )}, ${result.failover.changes.notVisible} of ${
        result.failover.changes.changes
      } not seen`,
    ],
    ['LIST requests from the kill to the end', String(lists)],
    [
      'failed reads of the survivor',
      String(result.failover.survivorFailedReads),
    ],
  ];
  const width = Math.max(...rows.map(r => r[0].length));
  console.log(
    `\nTwo replicas on PostgreSQL, ${options.clusters} clusters x ${options.services} Services\n`,
  );
  for (const [what, value] of rows)
    console.log(`${what.padEnd(width)}  ${value}`);
  console.log(`\n${path.relative(REPO_ROOT, jsonFile)}`);
}

runMain(main, 1);
