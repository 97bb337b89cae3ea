import type { KubeConfig } from '@kubernetes/client-node';
import fetch from 'node-fetch';
import {
  CertificateInfo,
  COLLECTED_KINDS,
  ClusterConnection,
  ClusterInventory,
  CollectedKind,
  isRetryableConnectionError,
  isRetryableStatus,
  KubeObject,
  mapWithConcurrency,
  parseRetryAfter,
  RejectedObject,
  RetryEvent,
  withRetry,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type { WatchStart } from '../inventory/compressedInventory';
import { certificateOf, secretMetadataOnly } from '../objects/certificates';
import { admitObject } from '../objects/objectShapes';
import { withoutNoise } from '../objects/withoutNoise';
import { kubeConfigFor } from './kubeConfigFor';
import { onlySelectorless } from './watchedChanges';

const PAGE_SIZE = 500;

/** A failure that makes the whole cluster's refresh fail (the last good snapshot stays). */
export class ClusterCollectionError extends Error {}

export interface KindOutcome {
  items?: KubeObject[];
  rejected?: RejectedObject[];
  unavailable?: string;
  /** Where the kind was listed, and the version of the list: where a watch starts from. */
  watchFrom?: WatchStart;
}

/** One event of a watch, as the API server sends it. */
export interface WatchEvent {
  type: string;
  object: any;
}

/** One answer of the API server, read to the end. */
interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** A retry the collector made, for the refresh to log. */
export interface CollectionRetry extends RetryEvent {
  request: string;
}

/**
 * Requests to one API server with the atlas's retry policy: the one way the atlas talks to
 * clusters, for lists and watches alike.
 */
export class KubeApiClient {
  /** A client for `connection`; `signal` ends its requests. */
  static async open(
    connection: ClusterConnection,
    signal: AbortSignal,
    options: {
      pageSize?: number;
      deadline?: number;
      onRetry?: (retry: CollectionRetry) => void;
    } = {},
  ) {
    const kc = await kubeConfigFor(connection);
    const server = kc.getCurrentCluster()?.server;
    if (!server) {
      throw new ClusterCollectionError('the kubeconfig has no current cluster');
    }
    return new KubeApiClient(kc, server.replace(/\/+$/, ''), signal, {
      pageSize: options.pageSize ?? PAGE_SIZE,
      deadline: options.deadline,
      onRetry: options.onRetry,
    });
  }

  requests = 0;
  private readonly failed = new AbortController();
  private readonly signal: AbortSignal;

  private constructor(
    private readonly kc: KubeConfig,
    private readonly server: string,
    private readonly timeout: AbortSignal,
    private readonly options: {
      pageSize: number;
      deadline?: number;
      onRetry?: (retry: CollectionRetry) => void;
    },
  ) {
    this.signal = AbortSignal.any([timeout, this.failed.signal]);
  }

  /** Cancels the requests in flight, once the cluster's refresh has failed anyway. */
  abort() {
    this.failed.abort();
  }

  async servedGroupVersions(): Promise<Set<string>> {
    const { status, body } = await this.get('/apis');
    if (status !== 200) {
      throw new ClusterCollectionError(
        `API discovery failed: ${describe(status, body)}`,
      );
    }
    if (!Array.isArray(body.groups)) {
      throw new ClusterCollectionError(
        'API discovery failed: the answer to /apis lists no API groups; is this URL a Kubernetes API server?',
      );
    }
    const served = new Set<string>(['/v1']);
    for (const group of body.groups) {
      for (const version of Array.isArray(group?.versions)
        ? group.versions
        : []) {
        served.add(`${group.name}/${version?.version}`);
      }
    }
    return served;
  }

  async listKind(
    kind: CollectedKind,
    served: Set<string>,
  ): Promise<KindOutcome> {
    const spec = COLLECTED_KINDS[kind];
    const version = spec.versions.find(v => served.has(`${spec.group}/${v}`));
    if (!version) {
      return {
        unavailable: `${spec.plural}.${spec.group} is not served by this cluster (CRD not installed?)`,
      };
    }
    const base = spec.group
      ? `/apis/${spec.group}/${version}`
      : `/api/${version}`;
    const apiVersion = spec.group ? `${spec.group}/${version}` : version;
    return this.listPath(kind, `${base}/${spec.plural}`, apiVersion);
  }

  /** A paged LIST of a kind at its collection path, every item checked as the engine needs it. */
  async listPath(
    kind: CollectedKind,
    path: string,
    apiVersion: string,
  ): Promise<KindOutcome> {
    const spec = COLLECTED_KINDS[kind];
    let items: KubeObject[] = [];
    let rejected: RejectedObject[] = [];
    let continueToken: string | undefined;
    const tokens = new Set<string>();
    let relisted = false;
    for (;;) {
      const query = new URLSearchParams({
        limit: String(this.options.pageSize),
      });
      if (continueToken) query.set('continue', continueToken);
      const { status, body } = await this.get(`${path}?${query}`);
      if (status === 410 && continueToken && !relisted) {
        // The pages read so far came from a version the server has compacted away: a
        // consistent list needs a fresh start, once.
        relisted = true;
        items = [];
        rejected = [];
        continueToken = undefined;
        tokens.clear();
        continue;
      }
      if (status === 403 || status === 404) {
        return { unavailable: describe(status, body) };
      }
      if (status === 410 && continueToken) {
        throw new ClusterCollectionError(
          `listing ${spec.plural} failed: the list expired again after starting over (HTTP 410 Gone); the cluster changes faster than it can be listed`,
        );
      }
      if (status !== 200) {
        throw new ClusterCollectionError(
          `listing ${spec.plural} failed: ${describe(status, body)}`,
        );
      }
      if (
        body.items !== undefined &&
        body.items !== null &&
        !Array.isArray(body.items)
      ) {
        throw new ClusterCollectionError(
          `listing ${spec.plural} failed: the API server's answer holds no list of items`,
        );
      }
      for (const item of body.items ?? []) {
        const admitted = admitListItem(kind, item, apiVersion);
        if ('rejected' in admitted) rejected.push(admitted.rejected);
        else items.push(admitted.object);
      }
      const next = body.metadata?.continue;
      continueToken = typeof next === 'string' && next ? next : undefined;
      const listedAt = body.metadata?.resourceVersion;
      if (continueToken && tokens.has(continueToken)) {
        throw new ClusterCollectionError(
          `listing ${spec.plural} failed: the API server handed out the same continue token twice, so the list would never end`,
        );
      }
      if (!continueToken) {
        return {
          items,
          rejected,
          watchFrom:
            typeof listedAt === 'string' && listedAt
              ? { path, apiVersion, resourceVersion: listedAt }
              : undefined,
        };
      }
      tokens.add(continueToken);
    }
  }

  /**
   * Watches a kind from `resourceVersion` (with bookmarks) until the server ends the watch or
   * `signal` aborts, handing each event to `onEvent` as it arrives. Answers the status of the
   * watch request and, when it is not 200, its body; a failed connection throws.
   */
  async watch(
    path: string,
    resourceVersion: string,
    options: {
      signal: AbortSignal;
      timeoutSeconds: number;
      onEvent: (event: WatchEvent) => void;
    },
  ): Promise<{ status: number; body?: any }> {
    const query = new URLSearchParams({
      watch: 'true',
      resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(options.timeoutSeconds),
    });
    const init = await this.kc.applyToFetchOptions({});
    this.requests += 1;
    const response = await fetch(`${this.server}${path}?${query}`, {
      ...init,
      method: 'GET',
      redirect: 'manual',
      // The server ends the watch after timeoutSeconds; a connection that outlives that by
      // far is dead without having said so, and is given up so that it can be made again.
      signal: AbortSignal.any([
        this.signal,
        options.signal,
        AbortSignal.timeout((options.timeoutSeconds + 30) * 1000),
      ]) as any,
    });
    if (response.status !== 200) {
      const text = await response.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body };
    }
    // Newline-delimited JSON: one event a line, a line possibly split across chunks.
    let rest = '';
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim()) options.onEvent(parseEvent(line));
      }
    }
    if (rest.trim()) options.onEvent(parseEvent(rest));
    return { status: 200 };
  }

  /** A GET, retried as the atlas's retry policy says; the answer's status is left to the caller. */
  private async get(path: string): Promise<{ status: number; body: any }> {
    let answer: Answer;
    try {
      answer = await withRetry(() => this.fetchOnce(path), {
        deadline: this.options.deadline,
        signal: this.signal,
        judge: ({ value, error }) => {
          if (value) {
            return isRetryableStatus(value.status)
              ? {
                  retry: true,
                  retryAfterMs: parseRetryAfter(value.retryAfter),
                  reason: `HTTP ${value.status}`,
                }
              : undefined;
          }
          return isRetryableConnectionError(error)
            ? { retry: true, reason: connectionFailure(error) }
            : undefined;
        },
        onRetry: event =>
          this.options.onRetry?.({ ...event, request: path.split('?')[0] }),
      });
    } catch (error) {
      if (error instanceof ClusterCollectionError) throw error;
      if (this.timeout.aborted) throw new ClusterCollectionError('timed out');
      throw new ClusterCollectionError(
        `${path.split('?')[0]}: ${connectionFailure(error)}`,
      );
    }
    let body: any;
    try {
      body = answer.text ? JSON.parse(answer.text) : {};
    } catch {
      throw new ClusterCollectionError(
        `the API server answered ${path.split('?')[0]} with HTTP ${
          answer.status
        } and a body that is not JSON`,
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ClusterCollectionError(
        `the API server answered ${path.split('?')[0]} with HTTP ${
          answer.status
        } and JSON that is not an object`,
      );
    }
    return { status: answer.status, body };
  }

  private async fetchOnce(path: string): Promise<Answer> {
    const init = await this.kc.applyToFetchOptions({});
    this.requests += 1;
    const response = await fetch(`${this.server}${path}`, {
      ...init,
      method: 'GET',
      // Credentials go to the validated URL only, never to wherever a redirect points.
      redirect: 'manual',
      signal: this.signal as any,
    });
    if (response.status >= 300 && response.status < 400) {
      throw new ClusterCollectionError(
        `the API server answered ${path.split('?')[0]} with a redirect (HTTP ${
          response.status
        }); redirects are not followed`,
      );
    }
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      text: await response.text(),
    };
  }
}

function parseEvent(line: string): WatchEvent {
  let event: any;
  try {
    event = JSON.parse(line);
  } catch {
    throw new ClusterCollectionError(
      'the API server sent a watch event that is not JSON',
    );
  }
  if (
    typeof event?.type !== 'string' ||
    typeof event.object !== 'object' ||
    !event.object
  ) {
    throw new ClusterCollectionError(
      'the API server sent a watch event without a type and object',
    );
  }
  return event;
}

/**
 * An item of a list or watch of `kind`: checked by the validator the engine relies on, then
 * trimmed; a malformed one becomes a rejected entry.
 */
export function admitListItem(
  kind: CollectedKind,
  item: unknown,
  apiVersion: string,
): { object: KubeObject } | { rejected: RejectedObject } {
  const admitted = admitObject(kind, item);
  if ('rejected' in admitted)
    return { rejected: { ...admitted.rejected, apiVersion } };
  return {
    object: trim(admitted.object, COLLECTED_KINDS[kind].kind, apiVersion),
  };
}

/**
 * A failure to talk to the API server in words: Node's codes (ECONNREFUSED, certificate
 * errors) are what a person searches for, so they stay, after what they mean.
 */
function connectionFailure(error: unknown): string {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  const meanings: Record<string, string> = {
    ECONNREFUSED:
      'the API server refused the connection (nothing listens at that address and port)',
    ECONNRESET: 'the API server closed the connection before answering',
    ENOTFOUND: "the API server's host name does not resolve",
    EAI_AGAIN:
      "the API server's host name could not be resolved (DNS did not answer)",
    ETIMEDOUT: 'the connection to the API server timed out',
    EHOSTUNREACH: 'the API server cannot be reached from here',
    DEPTH_ZERO_SELF_SIGNED_CERT:
      "the API server's certificate is self-signed and not trusted (give the cluster's CA)",
    SELF_SIGNED_CERT_IN_CHAIN:
      "the API server's certificate chain ends in a CA that is not trusted (give the cluster's CA)",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      "the API server's certificate is not signed by a trusted CA (give the cluster's CA)",
    CERT_HAS_EXPIRED: "the API server's certificate has expired",
    ERR_TLS_CERT_ALTNAME_INVALID:
      "the API server's certificate is not valid for its address",
  };
  if (code && meanings[code]) return `${meanings[code]} (${code})`;
  if (/premature close/i.test(message ?? '')) {
    return 'the API server closed the connection in the middle of its answer';
  }
  return code ? `the request failed (${code})` : 'the request failed';
}

/**
 * Reads one live cluster: one discovery request, then one paged LIST per kind, a few kinds at
 * a time. A kind that is not served (missing CRD) or forbidden (RBAC) is marked unavailable
 * and the rest goes on.
 */
export class KubeCollector {
  static create(options: { kindConcurrency?: number; pageSize?: number } = {}) {
    return new KubeCollector(
      options.kindConcurrency ?? 4,
      options.pageSize ?? PAGE_SIZE,
    );
  }

  private constructor(
    private readonly kindConcurrency: number,
    private readonly pageSize: number,
  ) {}

  /**
   * `signal` ends the reading (the cluster's timeout); `deadline` (epoch ms, the same moment)
   * keeps a retry from starting when it could not finish in time.
   */
  async collect(
    connection: ClusterConnection,
    options: {
      signal: AbortSignal;
      deadline?: number;
      now?: () => Date;
      onRetry?: (retry: CollectionRetry) => void;
    },
  ): Promise<{
    inventory: ClusterInventory;
    requests: number;
    watchFrom: Partial<Record<CollectedKind, WatchStart>>;
  }> {
    const client = await KubeApiClient.open(connection, options.signal, {
      pageSize: this.pageSize,
      deadline: options.deadline,
      onRetry: options.onRetry,
    });

    const served = await client.servedGroupVersions();
    const kinds = Object.keys(COLLECTED_KINDS) as CollectedKind[];
    const outcomes = await mapWithConcurrency(
      kinds,
      this.kindConcurrency,
      kind =>
        client.listKind(kind, served).catch(error => {
          // One failed kind fails the cluster: the kinds still in flight need not finish.
          client.abort();
          throw error;
        }),
    );
    const objects: ClusterInventory['objects'] = {};
    const unavailable: ClusterInventory['unavailable'] = {};
    const rejected: RejectedObject[] = [];
    const watchFrom: Partial<Record<CollectedKind, WatchStart>> = {};
    kinds.forEach((kind, index) => {
      const outcome = outcomes[index];
      if (outcome.unavailable) unavailable[kind] = outcome.unavailable;
      else objects[kind] = outcome.items;
      rejected.push(...(outcome.rejected ?? []));
      if (outcome.watchFrom) watchFrom[kind] = outcome.watchFrom;
    });

    const certificates: CertificateInfo[] = [];
    for (const kind of ['secrets', 'configmaps'] as const) {
      if (!objects[kind]) continue;
      const kept = keptOf(kind, objects[kind]);
      objects[kind] = kept.items;
      certificates.push(...kept.certificates);
    }
    objects.endpoints = onlySelectorless(objects.endpoints, objects.services);

    return {
      inventory: {
        cluster: connection.descriptor,
        collectedAt: (options.now?.() ?? new Date()).toISOString(),
        objects,
        unavailable,
        certificates,
        rejected,
      },
      requests: client.requests,
      watchFrom,
    };
  }
}

function describe(status: number, body: any): string {
  const message = typeof body?.message === 'string' ? body.message : undefined;
  const reasons: Record<number, string> = {
    401: 'the API server rejected the credentials (HTTP 401)',
    403: 'forbidden',
    404: 'not found',
  };
  const reason = reasons[status] ?? `HTTP ${status}`;
  return message ? `${reason}: ${message}` : reason;
}

function trim(item: any, kind: string, apiVersion: string): KubeObject {
  return { ...withoutNoise(item), apiVersion, kind };
}

/**
 * What is kept of a kind's listed or watched items: a Secret only as metadata and the facts of
 * its certificate (its data is dropped here, before anything is stored), a ConfigMap only when
 * it describes exposure. The one reduction for lists, re-lists and watch events alike.
 */
export function keptOf(
  kind: CollectedKind,
  items: KubeObject[],
): { items: KubeObject[]; certificates: CertificateInfo[] } {
  if (kind === 'secrets') {
    return {
      items: items.map(secretMetadataOnly),
      certificates: items.map(certificateOf).filter(cert => cert !== undefined),
    };
  }
  if (kind === 'configmaps') {
    return { items: items.filter(isRelevantConfigMap), certificates: [] };
  }
  return { items, certificates: [] };
}

/** `namespace/name` of each Service without a selector: the ones whose Endpoints are kept. */
// Only ConfigMaps that describe exposure are kept: mesh root certificates and
// front-proxy configurations (Envoy tcp_proxy, nginx stream).
export function isRelevantConfigMap(cm: KubeObject): boolean {
  if (
    cm.metadata.name === 'istio-ca-root-cert' ||
    cm.metadata.name.startsWith('istio')
  ) {
    return true;
  }
  return Object.values(cm.data ?? {}).some(
    value =>
      typeof value === 'string' &&
      (value.includes('tcp_proxy') ||
        /\bstream\s*\{/.test(value) ||
        value.includes('proxy_pass')),
  );
}
