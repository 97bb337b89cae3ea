import type { KubeConfig } from '@kubernetes/client-node';
import fetch from 'node-fetch';
import {
  COLLECTED_KINDS,
  ClusterConnection,
  ClusterInventory,
  CollectedKind,
  KubeObject,
  mapWithConcurrency,
  RejectedObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { certificateOf, secretMetadataOnly } from './certificates';
import { kubeConfigFor } from './kubeConfigFor';
import { admitObject } from './objectShapes';
import { withoutNoise } from './withoutNoise';

const PAGE_SIZE = 500;

/** A failure that makes the whole cluster's refresh fail (the last good snapshot stays). */
export class ClusterCollectionError extends Error {}

interface KindOutcome {
  items?: KubeObject[];
  rejected?: RejectedObject[];
  unavailable?: string;
}

class ApiClient {
  requests = 0;
  private readonly failed = new AbortController();
  private readonly signal: AbortSignal;

  constructor(
    private readonly kc: KubeConfig,
    private readonly server: string,
    private readonly timeout: AbortSignal,
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
      throw new ClusterCollectionError(`API discovery failed: ${describe(status, body)}`);
    }
    const served = new Set<string>(['/v1']);
    for (const group of body.groups ?? []) {
      for (const version of group.versions ?? []) {
        served.add(`${group.name}/${version.version}`);
      }
    }
    return served;
  }

  async listKind(kind: CollectedKind, served: Set<string>): Promise<KindOutcome> {
    const spec = COLLECTED_KINDS[kind];
    const version = spec.versions.find(v => served.has(`${spec.group}/${v}`));
    if (!version) {
      return {
        unavailable: `${spec.plural}.${spec.group} is not served by this cluster (CRD not installed?)`,
      };
    }
    const base = spec.group ? `/apis/${spec.group}/${version}` : `/api/${version}`;
    const apiVersion = spec.group ? `${spec.group}/${version}` : version;
    const items: KubeObject[] = [];
    const rejected: RejectedObject[] = [];
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (continueToken) query.set('continue', continueToken);
      const { status, body } = await this.get(`${base}/${spec.plural}?${query}`);
      if (status === 403 || status === 404) {
        return { unavailable: describe(status, body) };
      }
      if (status !== 200) {
        throw new ClusterCollectionError(
          `listing ${spec.plural} failed: ${describe(status, body)}`,
        );
      }
      for (const item of body.items ?? []) {
        const admitted = admitObject(kind, item);
        if ('rejected' in admitted) {
          rejected.push({ ...admitted.rejected, apiVersion });
        } else {
          items.push(trim(admitted.object, spec.kind, apiVersion));
        }
      }
      continueToken = body.metadata?.continue || undefined;
    } while (continueToken);
    return { items, rejected };
  }

  private async get(path: string): Promise<{ status: number; body: any }> {
    const init = await this.kc.applyToFetchOptions({});
    this.requests += 1;
    let response;
    try {
      response = await fetch(`${this.server}${path}`, {
        ...init,
        method: 'GET',
        // Credentials go to the validated URL only, never to wherever a redirect points.
        redirect: 'manual',
        signal: this.signal as any,
      });
    } catch (error) {
      if (this.timeout.aborted) {
        throw new ClusterCollectionError('timed out');
      }
      throw new ClusterCollectionError(`request failed: ${(error as Error).message}`);
    }
    if (response.status >= 300 && response.status < 400) {
      throw new ClusterCollectionError(
        `the API server answered ${path} with a redirect (HTTP ${response.status}); redirects are not followed`,
      );
    }
    const text = await response.text().catch(error => {
      throw new ClusterCollectionError(
        `reading ${path} failed: ${(error as Error).message}`,
      );
    });
    let body: any;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new ClusterCollectionError(
        `the API server answered ${path} with HTTP ${response.status} and a body that is not JSON`,
      );
    }
    return { status: response.status, body };
  }
}

/**
 * Reads one live cluster: one discovery request, then one paged LIST per kind, a few kinds at
 * a time. A kind that is not served (missing CRD) or forbidden (RBAC) is marked unavailable
 * and the rest goes on.
 */
export class KubeCollector {
  static create(options: { kindConcurrency?: number } = {}) {
    return new KubeCollector(options.kindConcurrency ?? 4);
  }

  private constructor(private readonly kindConcurrency: number) {}

  async collect(
    connection: ClusterConnection,
    options: { signal: AbortSignal; now?: () => Date },
  ): Promise<{ inventory: ClusterInventory; requests: number }> {
    const kc = await kubeConfigFor(connection);
    const server = kc.getCurrentCluster()?.server;
    if (!server) {
      throw new ClusterCollectionError('the kubeconfig has no current cluster');
    }
    const client = new ApiClient(kc, server.replace(/\/+$/, ''), options.signal);

    const served = await client.servedGroupVersions();
    const kinds = Object.keys(COLLECTED_KINDS) as CollectedKind[];
    const outcomes = await mapWithConcurrency(kinds, this.kindConcurrency, kind =>
      client.listKind(kind, served).catch(error => {
        // One failed kind fails the cluster: the kinds still in flight need not finish.
        client.abort();
        throw error;
      }),
    );
    const objects: ClusterInventory['objects'] = {};
    const unavailable: ClusterInventory['unavailable'] = {};
    const rejected: RejectedObject[] = [];
    kinds.forEach((kind, index) => {
      const outcome = outcomes[index];
      if (outcome.unavailable) unavailable[kind] = outcome.unavailable;
      else objects[kind] = outcome.items;
      rejected.push(...(outcome.rejected ?? []));
    });

    const certificates = (objects.secrets ?? [])
      .map(certificateOf)
      .filter(cert => cert !== undefined);
    objects.secrets = objects.secrets?.map(secretMetadataOnly);
    objects.endpoints = onlySelectorless(objects.endpoints, objects.services);
    objects.configmaps = objects.configmaps?.filter(isRelevantConfigMap);

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
    };
  }
}

function describe(status: number, body: any): string {
  const message = typeof body?.message === 'string' ? body.message : undefined;
  const reasons: Record<number, string> = { 403: 'forbidden', 404: 'not found' };
  const reason = reasons[status] ?? `HTTP ${status}`;
  return message ? `${reason}: ${message}` : reason;
}

function trim(item: any, kind: string, apiVersion: string): KubeObject {
  return { ...withoutNoise(item), apiVersion, kind };
}

function onlySelectorless(endpoints?: KubeObject[], services?: KubeObject[]) {
  if (!endpoints) return undefined;
  const selectorless = new Set(
    (services ?? [])
      .filter(s => !s.spec?.selector || Object.keys(s.spec.selector).length === 0)
      .map(s => `${s.metadata.namespace}/${s.metadata.name}`),
  );
  return endpoints.filter(e =>
    selectorless.has(`${e.metadata.namespace}/${e.metadata.name}`),
  );
}

// Only ConfigMaps that describe exposure are kept: mesh root certificates and
// front-proxy configurations (Envoy tcp_proxy, nginx stream).
function isRelevantConfigMap(cm: KubeObject): boolean {
  if (cm.metadata.name === 'istio-ca-root-cert' || cm.metadata.name.startsWith('istio')) {
    return true;
  }
  return Object.values(cm.data ?? {}).some(
    value =>
      typeof value === 'string' &&
      (value.includes('tcp_proxy') || /\bstream\s*\{/.test(value) || value.includes('proxy_pass')),
  );
}
