import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { ClusterFaults, ClusterStats } from './faults';
import {
  checkFieldManager,
  defaultManager,
  recordUpdate,
  serverSideApply,
} from './managedFields';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import {
  ResourceType,
  VERBS,
  apiVersionOf,
  compareVersions,
  splitApiVersion,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { KubeError, kubeErrors } from './status';
import { KubeObject, ObjectStore, StoredEntry } from './store';
import { toTable, wantsTable } from './tables';
import { validateObject } from './validation';

/** Who may call a cluster: bearer tokens, and per-token refusals (`403 Forbidden`). */
export interface ClusterAuth {
  tokens: string[];
  forbidden?: Array<{
    token: string;
    resource: string;
    verbs?: string[];
    namespace?: string;
  }>;
}

export interface KubeApiOptions {
  store: ObjectStore;
  auth: ClusterAuth;
  faults: ClusterFaults;
  stats: ClusterStats;
  /** e.g. `v1.26.1-tke.1`, answered on /version. */
  kubernetesVersion: string;
  /** Runs after every write that changed something (not for dry runs), before the answer is sent. */
  afterWrite?: () => void;
  /**
   * How often a watch that allows bookmarks gets one (Kubernetes: about once a minute).
   * Default 60 s.
   */
  bookmarkIntervalMs?: number;
}

interface Target {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
}

/** Server-side apply's media type; the body is YAML (or JSON, which is YAML too). */
const APPLY = 'application/apply-patch+yaml';

/** Everything not served below /api and /apis. */
const UNAUTHENTICATED = new Set(['/version', '/healthz', '/livez', '/readyz']);

/**
 * The HTTP side of one cluster's API server: discovery, CRUD, lists with selectors and paging,
 * patches, dry runs and watches, answering failures with `Status` objects.
 */
export function createKubeApi(options: KubeApiOptions) {
  const { store, auth, faults, stats } = options;
  const openResponses = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (faults.get().hang) {
      stats.faulted.hangs++;
      hold(res);
      return;
    }
    const { latencyMs } = faults.get();
    if (latencyMs) {
      await new Promise(done => setTimeout(done, latencyMs));
    }
    const injected = faults.pickError();
    if (injected) {
      stats.faulted.errors++;
      if (injected.code === 429) res.setHeader('Retry-After', '1');
      sendStatus(
        res,
        new KubeError(injected.code, injected.reason, injected.message),
      );
      return;
    }
    try {
      await route(req, res, url);
    } catch (error) {
      sendStatus(
        res,
        error instanceof KubeError
          ? error
          : new KubeError(
              500,
              'InternalError',
              `Internal error occurred: ${(error as Error).message}`,
            ),
      );
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (UNAUTHENTICATED.has(url.pathname)) {
      count('discovery');
      if (url.pathname === '/version') {
        sendJson(res, 200, versionInfo(options.kubernetesVersion));
      } else {
        send(res, 200, 'ok', 'text/plain');
      }
      return;
    }
    const token = authenticate(req);
    const segments = url.pathname.split('/').filter(Boolean);
    const discovery = discover(segments);
    if (discovery !== undefined) {
      count('discovery');
      if (req.method !== 'GET') {
        throw kubeErrors.methodNotAllowed(req.method ?? '');
      }
      sendJson(res, 200, discovery);
      return;
    }
    const target = resolve(segments);
    const verb = verbOf(req.method, target, url.searchParams);
    count(verb);
    authorize(token, target, verb);
    const dryRun = parseDryRun(url.searchParams);
    const fieldManager = url.searchParams.get('fieldManager');
    const applying =
      verb === 'patch' && mediaTypeOf(req.headers['content-type']) === APPLY;
    if (['create', 'update', 'patch'].includes(verb)) {
      checkFieldManager(fieldManager, applying);
    }
    const force = parseForce(url.searchParams, applying);
    const manager = fieldManager ?? defaultManager(req.headers['user-agent']);
    const apiVersion = apiVersionOf(target.type.group, target.version);
    const namespace = target.namespace ?? '';
    switch (verb) {
      case 'list':
        list(res, target, url.searchParams, wantsTable(req.headers.accept));
        return;
      case 'watch':
        watch(req, res, target, url.searchParams);
        return;
      case 'get': {
        const entry = store.getEntry(target.type, namespace, target.name!);
        if (!entry) throw kubeErrors.notFound(target.type, target.name!);
        if (wantsTable(req.headers.accept)) {
          const object = store.parse(target.type, entry, target.version);
          sendJson(
            res,
            200,
            toTable(target.type.kind, [object], {
              resourceVersion: object.metadata.resourceVersion,
            }),
          );
          return;
        }
        send(res, 200, store.serialize(target.type, entry, target.version));
        return;
      }
      case 'create': {
        const body = checkBody(await readObject(req), target);
        const created = store.create(
          target.type,
          valid(
            target,
            recordUpdate({ live: undefined, next: body, manager, apiVersion }),
          ),
          { dryRun },
        );
        written(dryRun);
        sendJson(res, 201, inVersion(created, target));
        return;
      }
      case 'update': {
        const body = checkBody(await readObject(req), target);
        const live = store.get(
          target.type,
          namespace,
          body.metadata?.name ?? '',
        );
        const updated = store.update(
          target.type,
          valid(
            target,
            live
              ? recordUpdate({ live, next: body, manager, apiVersion })
              : body,
          ),
          { dryRun },
        );
        written(dryRun);
        sendJson(res, 200, inVersion(updated, target));
        return;
      }
      case 'patch': {
        const current = store.get(target.type, namespace, target.name!);
        if (applying) {
          const config = checkApplyConfiguration(
            YAML.parse(await readBody(req)),
            target,
          );
          const next = serverSideApply({
            live: current,
            config,
            manager,
            force,
            apiVersion,
            describe: `${target.type.kind} ${target.name}`,
          });
          if (config.metadata.resourceVersion) {
            next.metadata.resourceVersion = config.metadata.resourceVersion;
          }
          const stored = current
            ? store.update(target.type, valid(target, next), { dryRun })
            : store.create(target.type, valid(target, next), { dryRun });
          written(dryRun);
          sendJson(res, current ? 200 : 201, inVersion(stored, target));
          return;
        }
        if (!current) throw kubeErrors.notFound(target.type, target.name!);
        const patched = applyPatch(
          current,
          req.headers['content-type'],
          await readBody(req),
        );
        const updated = store.update(
          target.type,
          valid(
            target,
            recordUpdate({
              live: current,
              next: checkBody(patched, target),
              manager,
              apiVersion,
            }),
          ),
          { dryRun },
        );
        written(dryRun);
        sendJson(res, 200, inVersion(updated, target));
        return;
      }
      case 'delete': {
        const deleteOptions = await readDeleteOptions(req);
        const dry = dryRun || Boolean(deleteOptions.dryRun?.includes('All'));
        const deleted = store.delete(target.type, namespace, target.name!, {
          dryRun: dry,
          preconditions: deleteOptions.preconditions,
        });
        written(dry);
        sendJson(res, 200, deleteAnswer(target, deleted));
        return;
      }
      case 'deletecollection': {
        const deleted = matchingEntries(target, url.searchParams).map(entry =>
          store.delete(target.type, entry.namespace, entry.name, { dryRun }),
        );
        written(dryRun);
        sendJson(res, 200, {
          kind: `${target.type.kind}List`,
          apiVersion: apiVersionOf(target.type.group, target.version),
          metadata: { resourceVersion: String(store.revision) },
          items: deleted.map(object => inVersion(object, target)),
        });
        return;
      }
      default:
        throw kubeErrors.methodNotAllowed(req.method ?? '');
    }
  }

  function count(verb: string) {
    stats.byVerb[verb] = (stats.byVerb[verb] ?? 0) + 1;
  }

  function written(dryRun: boolean) {
    if (!dryRun) options.afterWrite?.();
  }

  function authenticate(req: IncomingMessage): string {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match || !auth.tokens.includes(match[1])) {
      throw kubeErrors.unauthorized();
    }
    return match[1];
  }

  function authorize(token: string, target: Target, verb: string) {
    const refused = auth.forbidden?.some(
      rule =>
        rule.token === token &&
        (rule.resource === target.type.plural || rule.resource === '*') &&
        (!rule.verbs || rule.verbs.includes(verb)) &&
        (!rule.namespace || rule.namespace === target.namespace),
    );
    if (refused) {
      const user = `system:serviceaccount:sandbox:user-${
        auth.tokens.indexOf(token) + 1
      }`;
      throw kubeErrors.forbidden(target.type, verb, user, target.namespace);
    }
  }

  /** The discovery document for /api, /apis and their groups and versions; undefined for other paths. */
  function discover(segments: string[]): object | undefined {
    const byGroup = new Map<string, ResourceType[]>();
    for (const type of store.types) {
      byGroup.set(type.group, [...(byGroup.get(type.group) ?? []), type]);
    }
    const groupInfo = (group: string) => {
      const versions = [
        ...new Set(byGroup.get(group)!.flatMap(t => t.versions)),
      ].sort(compareVersions);
      const entries = versions.map(version => ({
        groupVersion: `${group}/${version}`,
        version,
      }));
      return { name: group, versions: entries, preferredVersion: entries[0] };
    };
    const resourceList = (group: string, version: string) => {
      const types = (byGroup.get(group) ?? []).filter(t =>
        t.versions.includes(version),
      );
      if (types.length === 0) {
        throw kubeErrors.unknownResource();
      }
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: apiVersionOf(group, version),
        resources: types.map(t => ({
          name: t.plural,
          singularName: t.singular,
          namespaced: t.namespaced,
          kind: t.kind,
          verbs: VERBS,
          ...(t.shortNames ? { shortNames: t.shortNames } : {}),
          ...(t.categories ? { categories: t.categories } : {}),
        })),
      };
    };
    const [root, second, third] = segments;
    if (root === 'api' && segments.length === 1) {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [],
      };
    }
    if (root === 'api' && segments.length === 2) {
      return resourceList('', second);
    }
    if (root === 'apis' && segments.length === 1) {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...byGroup.keys()].filter(Boolean).map(groupInfo),
      };
    }
    if (root === 'apis' && segments.length === 2) {
      if (!second || !byGroup.has(second)) throw kubeErrors.unknownResource();
      return { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo(second) };
    }
    if (root === 'apis' && segments.length === 3) {
      return resourceList(second, third);
    }
    return undefined;
  }

  function resolve(segments: string[]): Target {
    let group: string;
    let rest: string[];
    let version: string;
    if (segments[0] === 'api') {
      [group, version, rest] = ['', segments[1], segments.slice(2)];
    } else if (segments[0] === 'apis') {
      [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
    } else {
      throw kubeErrors.unknownResource();
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource] = rest;
    const type = store.type(group, plural);
    if (
      !type ||
      !type.versions.includes(version) ||
      subresource !== undefined ||
      (namespace !== undefined && !type.namespaced) ||
      (namespace === undefined && name !== undefined && type.namespaced)
    ) {
      throw kubeErrors.unknownResource();
    }
    return { type, version, namespace, name };
  }

  function matchingEntries(
    target: Target,
    query: URLSearchParams,
  ): StoredEntry[] {
    const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(
      query.get('fieldSelector') ?? undefined,
      target.type.kind,
    );
    return store
      .entries(target.type, target.namespace)
      .filter(
        entry =>
          labels(entry.labels) &&
          fields.test(
            fields.metadataOnly
              ? { metadata: { name: entry.name, namespace: entry.namespace } }
              : store.parse(target.type, entry),
          ),
      );
  }

  function list(
    res: ServerResponse,
    target: Target,
    query: URLSearchParams,
    asTable: boolean,
  ) {
    const limit = Number(query.get('limit') ?? 0);
    const token = query.get('continue');
    if (token && faults.takeExpiredContinue()) {
      stats.faulted.errors++;
      throw kubeErrors.expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    const page = token ? parseContinue(token) : undefined;
    let items = matchingEntries(target, query);
    if (page) {
      items = items.filter(
        entry => `${entry.namespace}/${entry.name}` > page.start,
      );
    }
    const metadata: Record<string, unknown> = {
      resourceVersion: String(page?.rv ?? store.revision),
    };
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1];
      metadata.continue = encodeContinue(
        page?.rv ?? store.revision,
        `${last.namespace}/${last.name}`,
      );
      if (!query.get('labelSelector') && !query.get('fieldSelector')) {
        metadata.remainingItemCount = items.length - limit;
      }
      items = items.slice(0, limit);
    }
    if (token && faults.get().stuckContinue) metadata.continue = token;
    const body = asTable
      ? JSON.stringify(
          toTable(
            target.type.kind,
            items.map(entry => store.parse(target.type, entry, target.version)),
            metadata,
          ),
        )
      : `{"kind":${JSON.stringify(
          `${target.type.kind}List`,
        )},"apiVersion":${JSON.stringify(
          apiVersionOf(target.type.group, target.version),
        )},"metadata":${JSON.stringify(metadata)},"items":[${items
          .map(entry => store.serialize(target.type, entry, target.version))
          .join(',')}]}`;
    if (faults.shouldGarbleList()) {
      stats.faulted.errors++;
      sendJson(res, 200, {
        kind: `${target.type.kind}List`,
        apiVersion: apiVersionOf(target.type.group, target.version),
        metadata: {},
        items: [{ kind: target.type.kind, spec: {} }, null],
      });
      return;
    }
    if (faults.shouldDropList()) {
      stats.faulted.drops++;
      // Chunked, as the API server streams large lists: the client sees the stream end without its last chunk.
      const bytes = Buffer.from(body);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () =>
        res.socket?.destroy(),
      );
      return;
    }
    send(res, 200, body);
  }

  function parseContinue(token: string): { rv: number; start: string } {
    let decoded: { v?: string; rv?: number; start?: string };
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    } catch {
      throw kubeErrors.badRequest(
        `continue key is not valid: illegal base64 data or JSON`,
      );
    }
    if (
      decoded?.v !== 'meta.k8s.io/v1' ||
      typeof decoded.rv !== 'number' ||
      typeof decoded.start !== 'string'
    ) {
      throw kubeErrors.badRequest(
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    }
    if (decoded.rv <= store.compactedRevision) {
      throw kubeErrors.expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    return {
      rv: decoded.rv,
      start: decoded.start.endsWith('\u0000')
        ? decoded.start.slice(0, -1)
        : decoded.start,
    };
  }

  function watch(
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    query: URLSearchParams,
  ) {
    const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(
      query.get('fieldSelector') ?? undefined,
      target.type.kind,
    );
    const matches = (entry: StoredEntry) =>
      (target.namespace === undefined ||
        entry.namespace === target.namespace) &&
      labels(entry.labels) &&
      fields.test(store.parse(target.type, entry));
    const write = (type: string, entry: StoredEntry) => {
      if (matches(entry)) {
        res.write(
          `{"type":"${type}","object":${store.serialize(
            target.type,
            entry,
            target.version,
          )}}\n`,
        );
      }
    };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    const since = query.get('resourceVersion');
    const expired = () => {
      const gone = kubeErrors.expired(
        `too old resource version: ${since} (${store.revision})`,
      );
      res.end(
        `{"type":"ERROR","object":${JSON.stringify({
          ...gone.toStatus(),
          reason: 'Expired',
        })}}\n`,
      );
    };
    if (!since || since === '0') {
      store
        .entries(target.type, target.namespace)
        .forEach(entry => write('ADDED', entry));
    } else {
      const events = store.eventsSince(Number(since));
      if (!events || faults.takeExpiredWatch()) {
        expired();
        return;
      }
      events
        .filter(e => e.resource === target.type)
        .forEach(e => write(e.type, e.entry));
    }
    const unsubscribe = store.subscribe(event => {
      if (event.resource === target.type) write(event.type, event.entry);
    });
    // A bookmark carries only the version the watch has reached, so that a client resuming
    // from it need not list again even when none of its objects changed meanwhile.
    const bookmark = () =>
      res.write(
        `{"type":"BOOKMARK","object":${JSON.stringify({
          kind: target.type.kind,
          apiVersion: apiVersionOf(target.type.group, target.version),
          metadata: { resourceVersion: String(store.revision) },
        })}}\n`,
      );
    const bookmarks = ['1', 'true'].includes(
      query.get('allowWatchBookmarks') ?? '',
    );
    const bookmarkTimer = bookmarks
      ? setInterval(bookmark, options.bookmarkIntervalMs ?? 60_000)
      : undefined;
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
    // As the API server does, a watch that allows bookmarks gets one before it times out.
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => {
            if (bookmarks) bookmark();
            res.end();
          }, timeoutSeconds * 1000)
        : undefined;
    hold(res, () => {
      unsubscribe();
      clearTimeout(timer);
      clearInterval(bookmarkTimer);
    });
    req.on('close', () => res.end());
  }

  /** Keeps a response open (watches, hung requests) until the client leaves or the server stops. */
  function hold(res: ServerResponse, cleanup?: () => void) {
    openResponses.add(res);
    res.on('close', () => {
      openResponses.delete(res);
      cleanup?.();
    });
  }

  return {
    handle: (req: IncomingMessage, res: ServerResponse) =>
      void handle(req, res),
    /** Ends watches and hung requests. */
    close() {
      for (const res of openResponses) {
        res.socket?.destroy();
      }
    },
  };
}

function verbOf(
  method: string | undefined,
  target: Target,
  query: URLSearchParams,
): string {
  const watching = ['1', 'true'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
      if (target.name) return 'get';
      return watching ? 'watch' : 'list';
    case 'POST':
      return target.name ? 'unsupported' : 'create';
    case 'PUT':
      return target.name ? 'update' : 'unsupported';
    case 'PATCH':
      return target.name ? 'patch' : 'unsupported';
    case 'DELETE':
      return target.name ? 'delete' : 'deletecollection';
    default:
      return 'unsupported';
  }
}

function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.some(v => v !== 'All')) {
    throw kubeErrors.badRequest(
      `Invalid dry run value: dryRun=${values.join(
        ',',
      )}; supported values: "All"`,
    );
  }
  return values.length > 0;
}

function valid(target: Target, object: KubeObject): KubeObject {
  validateObject(target.type, object);
  return object;
}

/** Checks what the URL says against the body, like the API server does before storing. */
function checkBody(body: KubeObject, target: Target): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw kubeErrors.badRequest('the body must be a JSON object');
  }
  const expected = apiVersionOf(target.type.group, target.version);
  if (body.apiVersion) {
    const [group, version] = splitApiVersion(body.apiVersion);
    if (
      group !== target.type.group ||
      !target.type.versions.includes(version)
    ) {
      throw kubeErrors.badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`,
      );
    }
  }
  if (body.kind && body.kind !== target.type.kind) {
    throw kubeErrors.badRequest(
      `the kind in the data (${body.kind}) does not match the expected kind (${target.type.kind})`,
    );
  }
  body.metadata ??= {} as KubeObject['metadata'];
  if (target.name && body.metadata.name && body.metadata.name !== target.name) {
    throw kubeErrors.badRequest(
      `the name of the object (${body.metadata.name}) does not match the name on the URL (${target.name})`,
    );
  }
  if (target.name) body.metadata.name = target.name;
  if (target.type.namespaced) {
    if (
      body.metadata.namespace &&
      target.namespace &&
      body.metadata.namespace !== target.namespace
    ) {
      throw kubeErrors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    body.metadata.namespace = target.namespace ?? body.metadata.namespace;
  }
  return body;
}

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim();
}

function parseForce(query: URLSearchParams, applying: boolean): boolean {
  const value = query.get('force');
  if (value === null) return false;
  if (!applying) {
    throw kubeErrors.unprocessable(
      'force: Forbidden: may not be specified for non-apply patch',
    );
  }
  if (!['true', 'false'].includes(value)) {
    throw kubeErrors.badRequest(`force: invalid boolean value "${value}"`);
  }
  return value === 'true';
}

/** An apply configuration names what it is: apiVersion, kind and metadata.name are required. */
function checkApplyConfiguration(body: KubeObject, target: Target): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw kubeErrors.badRequest('the body must be a YAML or JSON object');
  }
  if (!body.apiVersion || !body.kind) {
    throw kubeErrors.badRequest(
      "error decoding YAML: Object 'Kind' is missing or 'apiVersion' is missing in apply configuration",
    );
  }
  if (!body.metadata?.name) {
    throw kubeErrors.badRequest(
      'metadata.name is required in an apply configuration',
    );
  }
  return checkBody(body, target);
}

function applyPatch(
  current: KubeObject,
  contentType: string | undefined,
  body: string,
): KubeObject {
  const mediaType = mediaTypeOf(contentType);
  switch (mediaType) {
    case 'application/merge-patch+json':
      return mergePatch(current, parseJson(body));
    case 'application/strategic-merge-patch+json':
      return strategicMergePatch(current, parseJson(body));
    case 'application/json-patch+json':
      return jsonPatch(current, parseJson(body));
    default:
      throw kubeErrors.unsupportedMediaType(mediaType);
  }
}

/** Kinds whose delete answers with the deleted object (as in the API's OpenAPI spec); the rest answer a Status. */
const DELETE_RETURNS_OBJECT = new Set(['Pod', 'Service', 'ServiceAccount']);

function deleteAnswer(target: Target, deleted: KubeObject): object {
  if (target.type.group === '' && DELETE_RETURNS_OBJECT.has(target.type.kind)) {
    return inVersion(deleted, target);
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: deleted.metadata.name,
      ...(target.type.group ? { group: target.type.group } : {}),
      kind: target.type.plural,
      uid: deleted.metadata.uid,
    },
  };
}

function inVersion(object: KubeObject, target: Target): KubeObject {
  return {
    ...object,
    apiVersion: apiVersionOf(target.type.group, target.version),
  };
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${start}\u0000` }),
  ).toString('base64');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What a create, replace or delete body may be in: JSON (the default) or YAML; not protobuf. */
const BODY_TYPES = ['application/json', 'application/yaml'];

function bodyMediaType(req: IncomingMessage): string {
  const mediaType = mediaTypeOf(req.headers['content-type']) || BODY_TYPES[0];
  if (!BODY_TYPES.includes(mediaType)) {
    throw kubeErrors.unsupportedMediaType(mediaType, BODY_TYPES);
  }
  return mediaType;
}

async function readObject(req: IncomingMessage): Promise<KubeObject> {
  const mediaType = bodyMediaType(req);
  const body = await readBody(req);
  return mediaType === 'application/yaml' ? YAML.parse(body) : parseJson(body);
}

async function readDeleteOptions(req: IncomingMessage): Promise<{
  dryRun?: string[];
  preconditions?: { resourceVersion?: string; uid?: string };
}> {
  const body = await readBody(req);
  if (!body.trim()) return {};
  return bodyMediaType(req) === 'application/yaml'
    ? YAML.parse(body)
    : parseJson(body);
}

function parseJson(body: string): any {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw kubeErrors.badRequest(
      `the body of the request could not be decoded: ${
        (error as Error).message
      }`,
    );
  }
}

function versionInfo(gitVersion: string) {
  const [, major = '1', minor = '0'] = /^v?(\d+)\.(\d+)/.exec(gitVersion) ?? [];
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.22.12',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function send(
  res: ServerResponse,
  code: number,
  body: string,
  contentType = 'application/json',
) {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, code: number, body: object) {
  send(res, code, JSON.stringify(body));
}

function sendStatus(res: ServerResponse, error: KubeError) {
  if (!res.headersSent) {
    sendJson(res, error.code, error.toStatus());
  }
}
