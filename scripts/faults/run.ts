/*
 * The fault matrix: what the atlas does when one cluster misbehaves, measured on the real
 * backend process (packages/backend, as `yarn bench` starts it) over the demo sandbox, with
 * its databases in SQLite files so that a crash and a restart are real ones:
 *
 *   yarn faults [--only error,hang,...] [--cpu-prof]
 *
 * Each fault is injected into the cluster `edge` (through the sandbox's control API, or by
 * writing a malformed object into its storage), a refresh is triggered as a user, and while it
 * runs 10 users ask for the entity view of component:default/blog, which lives in another
 * cluster (tke-blog). For each fault it checks:
 *
 * - others fresh: every other cluster is served `ok` and read after the trigger before edge's
 *   timeout (10 s) could run out, so a hanging cluster does not hold back the others' new data
 *   (the figure: when the first model with all of them fresh was served);
 * - error shown: `GET /clusters` (and `/findings`) say what happened to edge: stale with the
 *   error for a failed read, a MALFORMED_OBJECT finding for a bad object, `ok` where the atlas
 *   is meant to get through (410 once, transient errors) and the fault is seen to have fired;
 * - last model served: no entity view failed during the refresh and, where edge's read failed,
 *   edge's last snapshot is still served (edge-web keeps its paths); after a crash or restart,
 *   the new process serves the last published model as soon as it is ready (the figure: how
 *   long after the kill or stop, most of it the backend's start);
 * - entity view p99 < 50 ms: component:default/blog during the refresh (at least 200 requests,
 *   10 users, each at most one request per 50 ms);
 * - refresh within the cluster timeout + 5 s: from the trigger until the refresh's final model
 *   is served.
 *
 * Prints the table (the figure in each cell), writes test-results/faults/<time>.json (with each
 * refresh's publications and the view's latency second by second) and the backend logs next to
 * it, and exits 1 when a cell does not hold. --cpu-prof writes the backend's CPU profiles there
 * too, for scripts/bench/profile.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import knexFactory from 'knex';
import YAML from 'yaml';
import {
  GUEST_AUTH,
  LogLine,
  RunningBackend,
  freePort,
  guestToken,
  kubernetesPluginClusters,
  later,
  sleep,
  sqliteBackend,
  startBackend,
  waitFor,
} from '../bench/backend';
import { createLog, forkSandbox, onCleanup, runMain } from '../shared/run';
import type { SandboxReady, SandboxRequest } from './sandboxProcess';
import { ViewSample, loadView, summarizeView, viewTimeline } from './viewLoad';

const REPO_ROOT = path.resolve(__dirname, '../..');
/** The cluster every fault is injected into, and an entity exposed through it. */
const FAULTY = 'edge';
const FAULTY_ENTITY = 'component/default/edge-web';
/** An entity of another cluster (tke-blog): what the users of healthy clusters look at. */
const OTHER_ENTITY = 'component/default/blog';
const CLUSTER_TIMEOUT_S = 10;
const PUBLISH_EARLY_AFTER_S = 3;
const REFRESH_LIMIT_MS = (CLUSTER_TIMEOUT_S + 5) * 1000;
const P99_LIMIT_MS = 50;
const VIEW_LOAD = { concurrency: 10, minRequests: 200, paceMs: 50 };
/** Transient errors are random: a few refreshes give them a chance to land on every step. */
const TRANSIENT_REFRESHES = 3;
/**
 * ConfigMaps added to edge (none of them about exposure, so the model does not change) so
 * that its ConfigMap list comes in two pages of at most 500, the collector's page size: the
 * continue-token faults need a second page.
 */
const FILLER_CONFIGMAPS = 600;

const COLUMNS = [
  `others fresh < ${CLUSTER_TIMEOUT_S} s`,
  'error shown',
  'last model served',
  `entity view p99 < ${P99_LIMIT_MS} ms`,
  `refresh ≤ ${CLUSTER_TIMEOUT_S + 5} s`,
];

interface Cell {
  ok: boolean;
  text: string;
}

interface Row {
  fault: string;
  cells: Cell[];
  details: Record<string, unknown>;
}

interface ClusterState {
  name: string;
  status: 'ok' | 'stale' | 'error';
  collectedAt?: string;
  error?: string;
  analysisError?: string;
}

interface ClustersBody {
  generatedAt?: string;
  clusters: ClusterState[];
}

const log = createLog('faults');

// ---------------------------------------------------------------------------------------
// The sandbox

type Sandbox = Awaited<ReturnType<typeof startSandboxProcess>>;

async function startSandboxProcess() {
  const { child, ready: started } = forkSandbox<SandboxReady>(
    path.join(__dirname, 'sandboxProcess.ts'),
    [],
  );
  const ready = await started;

  let lastId = 0;
  const pending = new Map<number, (error?: string) => void>();
  child.on('message', (message: any) => {
    if (message?.type !== 'done') return;
    pending.get(message.id)?.(message.error);
    pending.delete(message.id);
  });
  const ask = (
    request:
      | Omit<Extract<SandboxRequest, { type: 'create' }>, 'id'>
      | Omit<Extract<SandboxRequest, { type: 'delete' }>, 'id'>,
  ) =>
    new Promise<void>((resolve, reject) => {
      lastId += 1;
      pending.set(lastId, error =>
        error ? reject(new Error(error)) : resolve(),
      );
      child.send({ ...request, id: lastId });
    });

  const control = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${ready.controlUrl}${route}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: any = await res.json();
    if (!res.ok) {
      throw new Error(`${method} ${route}: HTTP ${res.status} ${json.error}`);
    }
    return json;
  };

  return {
    clusters: ready.clusters,
    setFaults: (cluster: string, faults: Record<string, unknown>) =>
      control('POST', `/faults/${cluster}`, faults),
    faults: async (cluster: string) =>
      (await control('GET', `/faults/${cluster}`))[cluster] as Record<
        string,
        unknown
      >,
    clearFaults: (cluster: string) => control('DELETE', `/faults/${cluster}`),
    /** Requests answered by an injected error, all clusters together. */
    faultedErrors: async () => {
      const stats = await control('GET', '/stats');
      return Object.values<any>(stats.clusters).reduce(
        (n, c) => n + c.faulted.errors,
        0,
      );
    },
    create: (cluster: string, objects: any[]) =>
      ask({ type: 'create', cluster, objects }),
    remove: (
      cluster: string,
      object: Extract<SandboxRequest, { type: 'delete' }>['object'],
    ) => ask({ type: 'delete', cluster, object }),
  };
}

// ---------------------------------------------------------------------------------------
// The backend

/**
 * The config layered over app-config.yaml and app-config.sandbox.yaml (arrays replace
 * theirs): the sandbox's clusters on their free ports, the demo entities, SQLite files in
 * `sqliteDirectory`, and refreshes only when triggered, so that the run decides when.
 */
function writeConfig(options: {
  dir: string;
  port: number;
  sandbox: Sandbox;
  sqliteDirectory: string;
}): string {
  const { dir, port, sandbox, sqliteDirectory } = options;
  const names = Object.keys(sandbox.clusters);
  const config = {
    backend: sqliteBackend(port, { directory: sqliteDirectory }),
    auth: GUEST_AUTH,
    catalog: {
      locations: [
        {
          type: 'file',
          target: path.join(REPO_ROOT, 'examples/entities.yaml'),
        },
      ],
    },
    kubernetes: {
      // As in app-config.sandbox.yaml, with the token that may not read Secrets.
      clusterLocatorMethods: kubernetesPluginClusters(
        names.map(name => ({
          name,
          url: sandbox.clusters[name].url,
          token: 'sandbox-token-no-secrets',
        })),
      ),
    },
    // Indexing and catalog ingestion of the atlas wait, so that they do not add load.
    search: { collators: { ingressAtlas: { schedule: later() } } },
    ingressAtlas: {
      importKubernetesConfig: false,
      catalog: { schedule: later() },
      refresh: {
        schedule: later(),
        clusterTimeoutSeconds: CLUSTER_TIMEOUT_S,
        publishEarlyAfterSeconds: PUBLISH_EARLY_AFTER_S,
      },
      clusters: names.map(name => ({
        name,
        url: sandbox.clusters[name].url,
        serviceAccountToken: sandbox.clusters[name].token,
        provider: sandbox.clusters[name].provider,
        region: sandbox.clusters[name].region,
      })),
      providers: { tencent: [] },
    },
  };
  const file = path.join(dir, 'app-config.faults.yaml');
  fs.writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
  return file;
}

interface Atlas {
  backend: RunningBackend;
  token: string;
  /** spawn → ready of this process. */
  readyMs: number;
}

class Run {
  atlas!: Atlas;
  /** edge-web's paths when nothing is wrong, from the first refresh. */
  healthyFaultyPaths = 0;
  #starts = 0;

  constructor(
    readonly sandbox: Sandbox,
    private readonly options: {
      port: number;
      configFile: string;
      logPrefix: string;
      nodeArgs: string[];
      sqliteDirectory: string;
    },
  ) {}

  async start(): Promise<Atlas> {
    this.#starts += 1;
    const logFile = `${this.options.logPrefix}.backend-${this.#starts}.log`;
    const spawned = Date.now();
    const started = await startBackend({
      port: this.options.port,
      configFile: this.options.configFile,
      logFile,
      nodeArgs: this.options.nodeArgs,
    });
    // Stopped by a restart or by the cleanup, whichever comes first, once.
    let stopping: Promise<void> | undefined;
    const backend: RunningBackend = {
      ...started,
      stop: () => (stopping ??= started.stop()),
    };
    onCleanup(() => backend.stop());
    const readyMs = Date.now() - spawned;
    log(
      `Backend ${this.#starts} ready in ${(readyMs / 1000).toFixed(1)} s (pid ${
        backend.pid
      }, log ${path.relative(REPO_ROOT, logFile)})`,
    );
    this.atlas = { backend, token: await guestToken(backend.url), readyMs };
    return this.atlas;
  }

  /** kill -9: no shutdown hook runs, the refresh lease stays held in the database. */
  async crash() {
    const { backend } = this.atlas;
    process.kill(backend.pid, 'SIGKILL');
    while (!backend.exited()) await sleep(20);
    await backend.stop();
  }

  /** The atlas's leases in its SQLite file: when each held one runs out (ms epoch). */
  async heldLeases(): Promise<Record<string, number>> {
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: {
        filename: path.join(
          this.options.sqliteDirectory,
          'ingress-atlas.sqlite',
        ),
      },
      useNullAsDefault: true,
    });
    try {
      const rows = await db('leases').select('name', 'expires_at');
      return Object.fromEntries(
        rows
          .map(row => [row.name, Number(row.expires_at)] as const)
          // -1: released by its holder.
          .filter(([, expiresAt]) => expiresAt > 0),
      );
    } finally {
      await db.destroy();
    }
  }

  async get<T = any>(route: string): Promise<T> {
    const res = await fetch(
      `${this.atlas.backend.url}/api/ingress-atlas${route}`,
      {
        headers: { Authorization: `Bearer ${this.atlas.token}` },
      },
    );
    if (!res.ok) {
      throw new Error(`GET ${route}: HTTP ${res.status} ${await res.text()}`);
    }
    return (await res.json()) as T;
  }

  clusters() {
    return this.get<ClustersBody>('/clusters');
  }

  async paths(entity: string): Promise<number> {
    return (await this.get(`/entities/${entity}/exposure`)).paths.length;
  }

  /** A refresh, waited for and not measured. */
  async refreshOnce() {
    const since = Date.now();
    await this.trigger();
    await this.atlas.backend.waitForLog(
      l => l.message === 'Refreshed the atlas',
      since,
      REFRESH_LIMIT_MS + 30_000,
    );
  }

  async trigger() {
    const res = await fetch(
      `${this.atlas.backend.url}/api/ingress-atlas/refresh`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.atlas.token}` },
      },
    );
    if (res.status !== 202) {
      throw new Error(`POST /refresh: HTTP ${res.status} ${await res.text()}`);
    }
  }

  logsSince(since: number, test: (line: LogLine) => boolean) {
    return this.atlas.backend.logs.filter(l => l.at >= since && test(l));
  }

  /**
   * Triggers a refresh and watches it: `/clusters` and the faulty cluster's entity view every
   * 100 ms, the other cluster's entity view under load, until the refresh logs its end.
   */
  async observeRefresh(): Promise<Observation> {
    const before = await this.clusters();
    const faultyPathsBefore = await this.paths(FAULTY_ENTITY);
    const triggeredAt = Date.now();
    await this.trigger();
    let finished = false;
    const end = this.atlas.backend
      .waitForLog(
        l => l.message === 'Refreshed the atlas',
        triggeredAt,
        REFRESH_LIMIT_MS + 30_000,
      )
      .then(
        line => line,
        error => {
          log(`No end of the refresh: ${error.message}`);
          return undefined;
        },
      )
      .finally(() => {
        finished = true;
      });
    const polls: Array<{ at: number; body: ClustersBody }> = [];
    const faultyViews: ViewSample[] = [];
    const poll = async () => {
      while (!finished) {
        const at = Date.now();
        polls.push({ at, body: await this.clusters() });
        const res = await fetch(
          `${this.atlas.backend.url}/api/ingress-atlas/entities/${FAULTY_ENTITY}/exposure`,
          { headers: { Authorization: `Bearer ${this.atlas.token}` } },
        );
        await res.arrayBuffer();
        faultyViews.push({ at, ms: Date.now() - at, status: res.status });
        await sleep(100);
      }
    };
    const [endLine, , load] = await Promise.all([
      end,
      poll(),
      loadView({
        url: `${this.atlas.backend.url}/api/ingress-atlas/entities/${OTHER_ENTITY}/exposure`,
        token: this.atlas.token,
        ...VIEW_LOAD,
        stop: () => finished,
      }),
    ]);
    const final = await this.clusters();
    const firstSeen = polls.find(p => p.body.generatedAt === final.generatedAt);
    const servedAt = Math.min(
      firstSeen?.at ?? Infinity,
      endLine?.at ?? Infinity,
    );
    const othersFresh = (body: ClustersBody) => {
      const others = body.clusters.filter(c => c.name !== FAULTY);
      return (
        others.length > 0 &&
        others.every(
          c =>
            c.status === 'ok' && Date.parse(c.collectedAt ?? '') >= triggeredAt,
        )
      );
    };
    // Polled every 100 ms or so; a refresh that ends between two polls is timed by its end.
    const freshAt =
      polls.find(p => othersFresh(p.body))?.at ??
      (othersFresh(final) ? servedAt : undefined);
    // Each model served during the refresh: when first seen, and which clusters it had fresh.
    const publications = polls
      .filter(
        (p, i) =>
          i === 0 || p.body.generatedAt !== polls[i - 1].body.generatedAt,
      )
      .map(p => ({
        atMs: p.at - triggeredAt,
        generatedAt: p.body.generatedAt,
        fresh: p.body.clusters
          .filter(c => Date.parse(c.collectedAt ?? '') >= triggeredAt)
          .map(c => c.name),
      }));
    return {
      triggeredAt,
      before,
      final,
      publications,
      refreshMs: endLine ? servedAt - triggeredAt : Infinity,
      othersFresh: othersFresh(final),
      othersFreshMs: freshAt === undefined ? undefined : freshAt - triggeredAt,
      view: load.samples,
      faultyViews,
      faultyPathsBefore,
      faultyPathsAfter: await this.paths(FAULTY_ENTITY),
    };
  }
}

interface Observation {
  triggeredAt: number;
  before: ClustersBody;
  final: ClustersBody;
  publications: Array<{ atMs: number; generatedAt?: string; fresh: string[] }>;
  /** Trigger → the refresh's final model served; Infinity when it did not end. */
  refreshMs: number;
  othersFresh: boolean;
  othersFreshMs?: number;
  view: ViewSample[];
  faultyViews: ViewSample[];
  faultyPathsBefore: number;
  faultyPathsAfter: number;
}

// ---------------------------------------------------------------------------------------
// Cells

const seconds = (ms: number) =>
  Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never';
const faultyOf = (body: ClustersBody) =>
  body.clusters.find(c => c.name === FAULTY);

/**
 * Every other cluster served fresh before edge's timeout could run out: a cluster that hangs
 * must not hold back the others' new data for its whole timeout.
 */
function othersFreshCell(observations: Observation[]): Cell {
  const fresh = observations.every(o => o.othersFresh);
  const slowest = Math.max(
    ...observations.map(o => o.othersFreshMs ?? Infinity),
  );
  if (fresh) {
    return {
      ok: slowest < CLUSTER_TIMEOUT_S * 1000,
      text: `in ${seconds(slowest)}`,
    };
  }
  const stale = observations
    .flatMap(o => o.final.clusters)
    .filter(c => c.name !== FAULTY && c.status !== 'ok')
    .map(c => c.name);
  return {
    ok: false,
    text: stale.length ? `not: ${[...new Set(stale)].join(',')}` : 'not read',
  };
}

function p99Cell(samples: ViewSample[]): Cell {
  const view = summarizeView(samples);
  return {
    ok: view.errors === 0 && view.p99Ms < P99_LIMIT_MS,
    text: `${view.p99Ms} ms (n=${view.requests}${
      view.errors ? `, ${view.errors} failed` : ''
    })`,
  };
}

function refreshCell(observations: Observation[]): Cell {
  const slowest = Math.max(...observations.map(o => o.refreshMs));
  return { ok: slowest <= REFRESH_LIMIT_MS, text: seconds(slowest) };
}

/**
 * Nothing failed to be served; when edge's read failed, its last snapshot is what is served.
 */
function lastModelCell(observations: Observation[], readFails: boolean): Cell {
  const failed = observations.flatMap(o => [
    ...o.view.filter(s => s.status !== 200),
    ...o.faultyViews.filter(s => s.status !== 200),
  ]);
  const last = observations[observations.length - 1];
  const before = faultyOf(last.before);
  const after = faultyOf(last.final);
  const kept =
    !readFails ||
    (last.faultyPathsBefore > 0 &&
      last.faultyPathsAfter === last.faultyPathsBefore &&
      after?.collectedAt === before?.collectedAt);
  const paths =
    last.faultyPathsAfter === last.faultyPathsBefore
      ? `${last.faultyPathsAfter}`
      : `${last.faultyPathsBefore}→${last.faultyPathsAfter}`;
  return {
    ok: failed.length === 0 && kept,
    text: `edge-web ${paths} paths${
      readFails ? `, of ${after?.collectedAt?.slice(11, 19) ?? '?'}` : ''
    }${failed.length ? `; ${failed.length} views failed` : ''}`,
  };
}

/** edge is shown stale with an error that says `expected`. */
function failedReadCell(observation: Observation, expected: RegExp): Cell {
  const edge = faultyOf(observation.final);
  const said = edge?.error?.match(expected)?.[0];
  return {
    ok: edge?.status === 'stale' && said !== undefined,
    text: `${edge?.status}: "${said ?? edge?.error ?? ''}"`,
  };
}

function rowOf(
  fault: string,
  cells: Cell[],
  details: Record<string, unknown>,
  observations: Observation[],
) {
  const row: Row = {
    fault,
    cells,
    details: {
      ...details,
      refreshes: observations.map(o => ({
        refreshMs: o.refreshMs,
        othersFreshMs: o.othersFreshMs,
        publications: o.publications,
        view: summarizeView(o.view),
        // By second since the trigger: where in the refresh the slow answers were.
        viewTimeline: viewTimeline(o.view, o.triggeredAt),
      })),
    },
  };
  log(
    `${fault}: ${cells
      .map((c, i) => `${COLUMNS[i]} ${c.ok ? 'ok' : 'FAILED'} (${c.text})`)
      .join('; ')}`,
  );
  return row;
}

// ---------------------------------------------------------------------------------------
// The faults

/** Runs `fn` with `settings` injected into `cluster`'s API server, cleared again afterwards. */
async function withFaults<T>(
  run: Run,
  cluster: string,
  settings: Record<string, unknown>,
  fn: () => Promise<T>,
): Promise<T> {
  await run.sandbox.setFaults(cluster, settings);
  try {
    return await fn();
  } finally {
    await run.sandbox.clearFaults(cluster);
  }
}

const MALFORMED_VIRTUAL_SERVICE = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'hosts-number', namespace: 'edge' },
  // As stored when `kubectl apply --validate=false` let it through.
  spec: { hosts: 7, gateways: ['istio-system/edge-gateway'] },
};

/** A fault of edge that fails its read: shown stale with `expected`, last snapshot served. */
async function failingRead(
  run: Run,
  fault: string,
  settings: Record<string, unknown>,
  expected: RegExp,
): Promise<Row> {
  return withFaults(run, FAULTY, settings, async () => {
    const o = await run.observeRefresh();
    return rowOf(
      fault,
      [
        othersFreshCell([o]),
        failedReadCell(o, expected),
        lastModelCell([o], true),
        p99Cell(o.view),
        refreshCell([o]),
      ],
      { settings, error: faultyOf(o.final)?.error },
      [o],
    );
  });
}

async function garbage(run: Run): Promise<Row> {
  const settings = { garbageListRate: 1 };
  try {
    return await withFaults(run, FAULTY, settings, async () => {
      const o = await run.observeRefresh();
      const edge = faultyOf(o.final);
      const { findings } = await run.get(`/findings?cluster=${FAULTY}`);
      const malformed = findings.filter(
        (f: any) => f.code === 'MALFORMED_OBJECT',
      );
      return rowOf(
        'garbage lists',
        [
          othersFreshCell([o]),
          {
            ok: edge?.status === 'ok' && malformed.length > 0,
            text: `${edge?.status} + ${malformed.length} MALFORMED_OBJECT`,
          },
          lastModelCell([o], false),
          p99Cell(o.view),
          refreshCell([o]),
        ],
        { settings, findings: malformed.map((f: any) => f.message) },
        [o],
      );
    });
  } finally {
    // edge's snapshot now holds nothing but junk: read it again, so the next fault starts
    // from a healthy edge.
    await run.refreshOnce();
  }
}

async function malformedObject(run: Run): Promise<Row> {
  await run.sandbox.create(FAULTY, [MALFORMED_VIRTUAL_SERVICE]);
  try {
    const o = await run.observeRefresh();
    const edge = faultyOf(o.final);
    const { findings } = await run.get(`/findings?cluster=${FAULTY}`);
    const named = findings.filter(
      (f: any) =>
        f.code === 'MALFORMED_OBJECT' &&
        f.objects?.[0]?.name === MALFORMED_VIRTUAL_SERVICE.metadata.name &&
        String(f.message).includes('spec.hosts'),
    );
    return rowOf(
      'malformed object',
      [
        othersFreshCell([o]),
        {
          ok:
            edge?.status === 'ok' &&
            edge.analysisError === undefined &&
            named.length === 1,
          text: `${edge?.status} + ${named.length} MALFORMED_OBJECT (spec.hosts)`,
        },
        // The rest of edge is read and analysed: edge-web has its paths, as when healthy.
        (() => {
          const cell = lastModelCell([o], false);
          return {
            ok: cell.ok && o.faultyPathsAfter === run.healthyFaultyPaths,
            text: cell.text,
          };
        })(),
        p99Cell(o.view),
        refreshCell([o]),
      ],
      {
        object: MALFORMED_VIRTUAL_SERVICE,
        findings: named.map((f: any) => f.message),
      },
      [o],
    );
  } finally {
    await run.sandbox.remove(FAULTY, {
      apiVersion: MALFORMED_VIRTUAL_SERVICE.apiVersion,
      kind: MALFORMED_VIRTUAL_SERVICE.kind,
      namespace: MALFORMED_VIRTUAL_SERVICE.metadata.namespace,
      name: MALFORMED_VIRTUAL_SERVICE.metadata.name,
    });
  }
}

async function gone(run: Run): Promise<Row> {
  // One 410 on the second page: the collector starts the list over, once, and gets through.
  const settings = { expireContinue: 1 };
  return withFaults(run, FAULTY, settings, async () => {
    const o = await run.observeRefresh();
    const edge = faultyOf(o.final);
    const left = (await run.sandbox.faults(FAULTY)).expireContinue ?? 0;
    const fresh = Date.parse(edge?.collectedAt ?? '') >= o.triggeredAt;
    return rowOf(
      '410 Gone mid-list',
      [
        othersFreshCell([o]),
        {
          ok: edge?.status === 'ok' && fresh && left === 0,
          text: `${edge?.status}${fresh ? '' : ' (not read)'}, ${
            1 - Number(left)
          }×410 re-listed`,
        },
        lastModelCell([o], false),
        p99Cell(o.view),
        refreshCell([o]),
      ],
      { settings, expireContinueLeft: left },
      [o],
    );
  });
}

async function transient(run: Run): Promise<Row> {
  // On every cluster, as seen in the field: 5% of all API requests answered 503.
  const settings = { errorRate: 0.05, errorCode: 503 };
  return withFaults(run, '*', settings, async () => {
    const errorsBefore = await run.sandbox.faultedErrors();
    const observations: Observation[] = [];
    for (let i = 0; i < TRANSIENT_REFRESHES; i++) {
      observations.push(await run.observeRefresh());
    }
    const first = observations[0].triggeredAt;
    const injected = (await run.sandbox.faultedErrors()) - errorsBefore;
    const retries = run.logsSince(
      first,
      l => l.message === 'Retried a Kubernetes API request',
    ).length;
    const notOk = observations.flatMap(o =>
      o.final.clusters
        .filter(
          c =>
            c.status !== 'ok' ||
            Date.parse(c.collectedAt ?? '') < o.triggeredAt,
        )
        .map(c => c.name),
    );
    return rowOf(
      `transient 5% (×${TRANSIENT_REFRESHES})`,
      [
        othersFreshCell(observations),
        {
          // Nothing to show: every cluster gets through; the faults did fire.
          ok: notOk.length === 0 && injected > 0,
          text: `all ok; ${injected}×503, ${retries} retries`,
        },
        lastModelCell(observations, false),
        p99Cell(observations.flatMap(o => o.view)),
        refreshCell(observations),
      ],
      { settings, injected, retries, notOk },
      observations,
    );
  });
}

async function crashMidRefresh(run: Run): Promise<Row> {
  // edge hangs, so the refresh is still reading it when the backend dies; it still hangs
  // after the restart, so the next refresh must also show its error.
  return withFaults(run, FAULTY, { hang: true }, async () => {
    const before = await run.clusters();
    const triggeredAt = Date.now();
    await run.trigger();
    // The clusters read so far are published early; the refresh goes on reading edge.
    const early = await waitFor(
      'the early publication',
      async () => {
        const now = await run.clusters();
        return now.generatedAt !== before.generatedAt ? now : undefined;
      },
      REFRESH_LIMIT_MS,
    );
    const refreshWhenKilled = run.logsSince(
      triggeredAt,
      l => l.message === 'Refreshed the atlas',
    ).length
      ? 'it had ended'
      : 'edge still being read';
    const killedAt = Date.now();
    log(
      `Killing the backend (kill -9) ${seconds(
        killedAt - triggeredAt,
      )} into a refresh (${refreshWhenKilled})`,
    );
    await run.crash();
    // What the dead process left held: each lease runs out by itself within its time to live.
    const leases = await run.heldLeases();
    log(
      `Leases the dead backend held: ${
        Object.entries(leases)
          .map(([name, at]) => `${name} for ${seconds(at - killedAt)} more`)
          .join(', ') || 'none'
      }`,
    );
    await run.start();
    const served = await run.clusters();
    const servedAfterKillMs = Date.now() - killedAt;
    const otherPaths = await run.paths(OTHER_ENTITY);
    const o = await run.observeRefresh();
    const stillHeld = Object.entries(leases)
      .filter(([, at]) => at > o.triggeredAt)
      .map(([name, at]) => `${name} lease ${seconds(at - o.triggeredAt)} left`);
    const last = lastModelCell([o], true);
    return rowOf(
      'crash mid-refresh',
      [
        othersFreshCell([o]),
        failedReadCell(o, /timed out after \d+s/),
        {
          ok:
            refreshWhenKilled === 'edge still being read' &&
            served.generatedAt === early.generatedAt &&
            otherPaths > 0 &&
            last.ok,
          text: `on ready, ${seconds(servedAfterKillMs)} after kill`,
        },
        p99Cell(o.view),
        {
          ...refreshCell([o]),
          text: `${refreshCell([o]).text}${
            stillHeld.length ? ` (${stillHeld.join(', ')} at the trigger)` : ''
          }`,
        },
      ],
      {
        killedAfterMs: killedAt - triggeredAt,
        refreshWhenKilled,
        restartReadyMs: run.atlas.readyMs,
        leasesLeftAfterKillMs: Object.fromEntries(
          Object.entries(leases).map(([name, at]) => [name, at - killedAt]),
        ),
        leasesHeldAtTrigger: stillHeld,
        servedAfterKillMs,
        servedGeneratedAt: served.generatedAt,
        lastGeneratedAt: early.generatedAt,
      },
      [o],
    );
  });
}

async function restart(run: Run): Promise<Row> {
  // A stale cluster, then a normal restart: what was published and what failed must survive.
  return withFaults(run, FAULTY, { errorRate: 1, errorCode: 503 }, async () => {
    await run.observeRefresh();
    const before = await run.clusters();
    const stoppedAt = Date.now();
    await run.atlas.backend.stop();
    await run.start();
    const served = await run.clusters();
    const servedAfterStopMs = Date.now() - stoppedAt;
    const otherPaths = await run.paths(OTHER_ENTITY);
    const shownOnReady = faultyOf(served);
    const o = await run.observeRefresh();
    const shown = failedReadCell(o, /HTTP 503/);
    const last = lastModelCell([o], true);
    return rowOf(
      'restart',
      [
        othersFreshCell([o]),
        {
          ok:
            shown.ok &&
            shownOnReady?.status === 'stale' &&
            shownOnReady.error === faultyOf(before)?.error,
          text: `${shown.text}, also on ready`,
        },
        {
          ok:
            served.generatedAt === before.generatedAt &&
            otherPaths > 0 &&
            last.ok,
          text: `on ready, ${seconds(servedAfterStopMs)} after stop`,
        },
        p99Cell(o.view),
        refreshCell([o]),
      ],
      {
        restartReadyMs: run.atlas.readyMs,
        servedAfterStopMs,
        shownOnReady,
      },
      [o],
    );
  });
}

const FAULTS: Record<string, (run: Run) => Promise<Row>> = {
  error: run =>
    failingRead(
      run,
      'error (503 always)',
      { errorRate: 1, errorCode: 503 },
      /HTTP 503/,
    ),
  hang: run => failingRead(run, 'hang', { hang: true }, /timed out after \d+s/),
  garbage,
  malformed: malformedObject,
  gone,
  'endless-continue': run =>
    failingRead(
      run,
      'endless continue',
      { stuckContinue: true },
      /same continue token twice/,
    ),
  transient,
  crash: crashMidRefresh,
  restart,
};

// ---------------------------------------------------------------------------------------

/** The view under the same load with no refresh running: what the machine gives it at rest. */
async function quietView(run: Run) {
  const until = Date.now() + 2_000;
  const { samples } = await loadView({
    url: `${run.atlas.backend.url}/api/ingress-atlas/entities/${OTHER_ENTITY}/exposure`,
    token: run.atlas.token,
    ...VIEW_LOAD,
    stop: () => Date.now() > until,
  });
  return summarizeView(samples);
}

function printTable(rows: Row[]) {
  const header = ['fault', ...COLUMNS];
  const lines = rows.map(r => [
    r.fault,
    ...r.cells.map(c => `${c.ok ? '✓' : '✗'} ${c.text}`),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map(l => l[i].length)),
  );
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(
    [
      format(header),
      `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
      ...lines.map(format),
    ].join('\n') + '\n',
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const only = values.only?.split(',').map(s => s.trim());
  const unknown = only?.filter(name => !(name in FAULTS));
  if (unknown?.length) {
    throw new Error(
      `Unknown fault ${unknown.join(', ')}; known: ${Object.keys(FAULTS).join(
        ', ',
      )}`,
    );
  }
  const started = Date.now();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = path.join(REPO_ROOT, 'test-results/faults');
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-atlas-faults-'));
  onCleanup(async () => fs.rmSync(tmp, { recursive: true, force: true }));

  const sandbox = await startSandboxProcess();
  await sandbox.create(
    FAULTY,
    Array.from({ length: FILLER_CONFIGMAPS }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `filler-${i}`, namespace: 'edge' },
      data: { note: 'not about exposure' },
    })),
  );
  log(`Sandbox ready: ${Object.keys(sandbox.clusters).join(', ')}`);

  const port = await freePort();
  const sqliteDirectory = path.join(tmp, 'sqlite');
  const run = new Run(sandbox, {
    sqliteDirectory,
    port,
    configFile: writeConfig({
      dir: tmp,
      port,
      sandbox,
      sqliteDirectory,
    }),
    logPrefix: path.join(outDir, stamp),
    // Profiles of the backend processes (written when each stops), for scripts/bench/profile.ts.
    nodeArgs: values['cpu-prof']
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${path.join(outDir, `${stamp}.cpuprofile`)}`,
        ]
      : [],
  });
  await run.start();

  // The entity view is only worth timing once the catalog knows the entities.
  for (const entity of [OTHER_ENTITY, FAULTY_ENTITY]) {
    await waitFor(
      `${entity} in the catalog`,
      async () => {
        const res = await fetch(
          `${run.atlas.backend.url}/api/catalog/entities/by-name/${entity}`,
          { headers: { Authorization: `Bearer ${run.atlas.token}` } },
        );
        return res.ok || undefined;
      },
      120_000,
      250,
    );
  }
  const baseline = await run.observeRefresh();
  run.healthyFaultyPaths = baseline.faultyPathsAfter;
  const otherPaths = await run.paths(OTHER_ENTITY);
  const notOk = baseline.final.clusters.filter(c => c.status !== 'ok');
  log(
    `Baseline refresh: ${seconds(
      baseline.refreshMs,
    )}, ${OTHER_ENTITY} ${otherPaths} paths, ${FAULTY_ENTITY} ${
      baseline.faultyPathsAfter
    } paths, p99 ${summarizeView(baseline.view).p99Ms} ms`,
  );
  if (notOk.length || otherPaths === 0 || baseline.faultyPathsAfter === 0) {
    throw new Error(
      `The baseline is not healthy: ${JSON.stringify({
        notOk,
        otherPaths,
        faultyPaths: baseline.faultyPathsAfter,
      })}`,
    );
  }

  const loadAtStart = os.loadavg()[0];
  const quietAtStart = await quietView(run);
  log(
    `Entity view with no refresh running: p50 ${quietAtStart.p50Ms} ms, p99 ${quietAtStart.p99Ms} ms (n=${quietAtStart.requests})`,
  );

  const rows: Row[] = [];
  for (const [name, fault] of Object.entries(FAULTS)) {
    if (only && !only.includes(name)) continue;
    log(`Fault: ${name}`);
    rows.push(await fault(run));
  }

  const quietAtEnd = await quietView(run);
  const loadAtEnd = os.loadavg()[0];
  const failed = rows.flatMap(r => r.cells).filter(c => !c.ok).length;
  const result = {
    date: new Date().toISOString(),
    durationMs: Date.now() - started,
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    },
    settings: {
      faultyCluster: FAULTY,
      otherEntity: OTHER_ENTITY,
      clusterTimeoutSeconds: CLUSTER_TIMEOUT_S,
      publishEarlyAfterSeconds: PUBLISH_EARLY_AFTER_S,
      viewLoad: VIEW_LOAD,
    },
    baseline: {
      refreshMs: baseline.refreshMs,
      otherPaths,
      faultyPaths: baseline.faultyPathsAfter,
      view: summarizeView(baseline.view),
    },
    quietView: { atStart: quietAtStart, atEnd: quietAtEnd },
    columns: COLUMNS,
    rows,
    failedCells: failed,
  };
  const jsonFile = path.join(outDir, `${stamp}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);

  process.stdout.write(
    `\nFault matrix, ${result.date
      .slice(0, 16)
      .replace(
        'T',
        ' ',
      )} UTC: faults in ${FAULTY}, entity view of ${OTHER_ENTITY} (tke-blog), cluster timeout ${CLUSTER_TIMEOUT_S} s, early publication after ${PUBLISH_EARLY_AFTER_S} s\n\n`,
  );
  printTable(rows);
  process.stdout.write(
    `\nFor comparison, the entity view with no refresh running: p99 ${
      quietAtStart.p99Ms
    } ms before the faults, ${
      quietAtEnd.p99Ms
    } ms after; load average ${loadAtStart.toFixed(
      1,
    )} at the start, ${loadAtEnd.toFixed(1)} at the end, on ${
      os.cpus().length
    } CPUs.\n${
      failed === 0 ? 'Every cell holds' : `${failed} cells do not hold`
    } (${seconds(result.durationMs)}); written: ${path.relative(
      REPO_ROOT,
      jsonFile,
    )}\n`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

runMain(main, 2);
