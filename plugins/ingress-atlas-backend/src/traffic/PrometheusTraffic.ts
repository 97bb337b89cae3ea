import {
  gbPerMonthFromBytes,
  ISTIO_TRAFFIC_METRICS,
  TRAFFIC_WINDOW_DAYS,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { GatewayTraffic } from '../engine';

const QUERY_TIMEOUT_MS = 15_000;

/** The body of Prometheus's `/api/v1/query` for an instant vector. */
interface QueryResponse {
  status: 'success' | 'error';
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  };
  errorType?: string;
  error?: string;
}

/**
 * What each workload of the mesh sent over the last {@link TRAFFIC_WINDOW_DAYS} days, from
 * Istio's standard metrics in Prometheus: HTTP response bytes and TCP bytes sent, as reported
 * by the sending proxy (`reporter="source"`, which is how a gateway reports). The engine keeps
 * the workloads that are gateways.
 */
export class PrometheusTraffic {
  readonly #url: URL;

  static create(options: { url: string }) {
    return new PrometheusTraffic(options.url);
  }

  private constructor(url: string) {
    this.#url = new URL(url.endsWith('/') ? url : `${url}/`);
  }

  /** Throws when Prometheus cannot be asked or refuses a query. */
  async read(now = new Date()): Promise<GatewayTraffic[]> {
    const { http, tcp, labels } = ISTIO_TRAFFIC_METRICS;
    const windowSeconds = TRAFFIC_WINDOW_DAYS * 86_400;
    const to = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const from = new Date(to.getTime() - windowSeconds * 1000);
    const by = [labels.namespace, labels.workload, labels.cluster].join(', ');
    const sent = (metric: string) =>
      `sum by (${by}) (increase(${metric}{${labels.reporter}="source"}[${TRAFFIC_WINDOW_DAYS}d]))`;

    const bytes = new Map<
      string,
      { series: Record<string, string>; bytes: number }
    >();
    for (const metric of [http, tcp]) {
      for (const { metric: series, value } of await this.#query(
        sent(metric),
        to,
      )) {
        const namespace = series[labels.namespace];
        const workload = series[labels.workload];
        const counted = Number(value[1]);
        if (!namespace || !workload || !Number.isFinite(counted)) continue;
        const key = [namespace, workload, series[labels.cluster] ?? ''].join(
          '/',
        );
        const known = bytes.get(key) ?? { series, bytes: 0 };
        known.bytes += counted;
        bytes.set(key, known);
      }
    }
    return [...bytes.values()].map(({ series, bytes: counted }) => ({
      namespace: series[labels.namespace],
      workload: series[labels.workload],
      ...(series[labels.cluster] ? { cluster: series[labels.cluster] } : {}),
      measurement: {
        gbPerMonth: gbPerMonthFromBytes(counted, windowSeconds),
        source: `Prometheus ${http} + ${tcp} (${labels.reporter}="source")`,
        from: from.toISOString(),
        to: to.toISOString(),
      },
    }));
  }

  async #query(query: string, at: Date) {
    const url = new URL('api/v1/query', this.#url);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query, time: String(at.getTime() / 1000) }),
      redirect: 'error',
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => undefined)) as
      | QueryResponse
      | undefined;
    if (!response.ok || body?.status !== 'success' || !body.data) {
      throw new Error(
        `Prometheus refused the query (HTTP ${response.status}${
          body?.error ? `: ${body.errorType} ${body.error}` : ''
        })`,
      );
    }
    if (body.data.resultType !== 'vector') {
      throw new Error(
        `Prometheus answered a ${body.data.resultType}, not a vector`,
      );
    }
    return body.data.result;
  }
}
