import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// A test package runs from its source folder; it is never built into another place.
// eslint-disable-next-line no-restricted-syntax
export const REPO_ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line no-restricted-syntax
export const CRDS = path.resolve(__dirname, '../crds');

/**
 * The control plane is built by scripts/kube/build.sh (`make test` does it first). The tests
 * are skipped only when it is not built and INGRESS_ATLAS_SKIP_KUBE=1 says that this is
 * intended; otherwise a missing build fails them.
 */
export function realServerAvailable(): boolean {
  if (process.env.INGRESS_ATLAS_SKIP_KUBE !== '1') return true;
  try {
    execFileSync(
      'bash',
      [path.join(REPO_ROOT, 'scripts/kube/build.sh'), '--check'],
      {
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    // eslint-disable-next-line no-console
    console.warn(
      'Skipping the real API server tests: INGRESS_ATLAS_SKIP_KUBE=1 and the control plane is not built (scripts/kube/build.sh builds it).',
    );
    return false;
  }
}

let started = 0;

/** What scripts/kube/start.sh prints. */
interface Started {
  name: string;
  server: string;
  caFile: string;
  kubeconfig: string;
  adminToken: string;
  readerToken: string;
  dir: string;
  bin: string;
}

export interface ApiResponse {
  status: number;
  body: any;
}

/** The REST path of one resource type, learned from discovery. */
export interface Resource {
  plural: string;
  namespaced: boolean;
  apiVersion: string;
}

/** A plain HTTPS client: every request is visible in the test, nothing is retried. */
export class KubeClient {
  readonly #agent: https.Agent;
  readonly #resources = new Map<string, Resource>();

  constructor(readonly server: string, readonly token: string, ca: Buffer) {
    this.#agent = new https.Agent({ ca, keepAlive: true });
  }

  request(
    method: string,
    apiPath: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse> {
    const url = new URL(apiPath, this.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload
              ? {
                  'content-type': contentType,
                  'content-length': Buffer.byteLength(payload),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = text;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              // Not JSON (e.g. /readyz): the text is the body.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async get(apiPath: string): Promise<any> {
    let { status, body } = await this.request('GET', apiPath);
    // A kind whose CRD was just created answers 429 "storage is (re)initializing" for a moment;
    // the server asks to come back (Retry-After), as client-go does.
    for (let retry = 0; status === 429 && retry < 20; retry++) {
      await new Promise(resolve => setTimeout(resolve, 500));
      ({ status, body } = await this.request('GET', apiPath));
    }
    if (status !== 200) {
      throw new Error(`GET ${apiPath}: HTTP ${status} ${describe(body)}`);
    }
    return body;
  }

  /** The resource of an apiVersion and kind; throws if the server does not serve it. */
  async resource(apiVersion: string, kind: string): Promise<Resource> {
    const key = `${apiVersion}/${kind}`;
    let found = this.#resources.get(key);
    if (!found) {
      const list = await this.get(
        apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
      );
      for (const r of list.resources ?? []) {
        if (!r.name.includes('/')) {
          this.#resources.set(`${apiVersion}/${r.kind}`, {
            plural: r.name,
            namespaced: r.namespaced,
            apiVersion,
          });
        }
      }
      found = this.#resources.get(key);
      if (!found) throw new Error(`${kind} (${apiVersion}) is not served`);
    }
    return found;
  }

  /** `/api/v1/namespaces/ns/pods/name`, or without the name for a collection. */
  async pathOf(
    object: { apiVersion?: string; kind?: string; metadata: any },
    options: { collection?: boolean } = {},
  ): Promise<string> {
    const { apiVersion, kind } = object;
    if (!apiVersion || !kind) {
      throw new Error(`${object.metadata?.name} has no apiVersion or kind`);
    }
    const resource = await this.resource(apiVersion, kind);
    const base = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    const namespace = resource.namespaced
      ? `/namespaces/${object.metadata.namespace ?? 'default'}`
      : '';
    const name = options.collection ? '' : `/${object.metadata.name}`;
    return `${base}${namespace}/${resource.plural}${name}`;
  }

  /**
   * Server-side apply of one object (its status, if any, is ignored here: see applyStatus).
   * Returns the server's answer as it is, so that a rejection can be reported.
   */
  async apply(object: any, fieldManager: string): Promise<ApiResponse> {
    const { status: _status, ...rest } = object;
    const query = new URLSearchParams({ fieldManager, force: 'true' });
    return this.request(
      'PATCH',
      `${await this.pathOf(object)}?${query}`,
      rest,
      'application/apply-patch+yaml',
    );
  }

  /** Server-side apply of an object's status through the status subresource. */
  async applyStatus(object: any, fieldManager: string): Promise<ApiResponse> {
    const { apiVersion, kind, metadata, status } = object;
    const query = new URLSearchParams({ fieldManager, force: 'true' });
    return this.request(
      'PATCH',
      `${await this.pathOf(object)}/status?${query}`,
      {
        apiVersion,
        kind,
        metadata: { name: metadata.name, namespace: metadata.namespace },
        status,
      },
      'application/apply-patch+yaml',
    );
  }

  async list(apiVersion: string, kind: string): Promise<any[]> {
    const path_ = await this.pathOf(
      { apiVersion, kind, metadata: {} },
      { collection: true },
    );
    // A namespaced kind is listed across namespaces.
    const all = path_.replace(/\/namespaces\/default\//, '/');
    return (await this.get(all)).items ?? [];
  }
}

/** A running kube-apiserver (with etcd, controller manager and scheduler) and two identities. */
export class RealCluster {
  readonly admin: KubeClient;
  readonly reader: KubeClient;

  private constructor(readonly info: Started) {
    const ca = fs.readFileSync(info.caFile);
    this.admin = new KubeClient(info.server, info.adminToken, ca);
    this.reader = new KubeClient(info.server, info.readerToken, ca);
  }

  static async start(options: {
    name: string;
    serviceCidr: string;
    crds?: string[];
  }): Promise<RealCluster> {
    // Test files run in parallel and may start the same estate: each run gets its own folder.
    const name = `${options.name}-${process.pid}-${++started}`;
    const args = [
      path.join(REPO_ROOT, 'scripts/kube/start.sh'),
      '--name',
      name,
      '--service-cidr',
      options.serviceCidr,
      ...(options.crds ?? []).flatMap(crds => ['--crds', crds]),
    ];
    let stdout: string;
    try {
      ({ stdout } = await run('bash', args, { cwd: REPO_ROOT }));
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(
        `scripts/kube/start.sh failed for ${name}: ${stderr ?? error}`,
      );
    }
    const lines = stdout.trim().split('\n');
    return new RealCluster(JSON.parse(lines[lines.length - 1]));
  }

  get caData(): string {
    return fs.readFileSync(this.info.caFile).toString('base64');
  }

  async stop(): Promise<void> {
    await run('bash', [
      path.join(REPO_ROOT, 'scripts/kube/stop.sh'),
      this.info.name,
    ]);
  }

  /** The last lines of one component's log, for failure messages. */
  logTail(component: string, lines = 30): string {
    try {
      const text = fs.readFileSync(
        path.join(this.info.dir, `${component}.log`),
        'utf8',
      );
      return text.split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

export function describe(body: any): string {
  if (body && typeof body === 'object') {
    return body.message ?? JSON.stringify(body);
  }
  return String(body);
}

/** An error that polling must not retry: the server refused something. */
export class Refused extends Error {}

/** Polls until `check` returns a value, or fails with what it last saw (at once on Refused). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof Refused) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
