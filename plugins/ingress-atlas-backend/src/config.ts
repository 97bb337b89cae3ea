import { Config } from '@backstage/config';
import { PriceOverrides } from '@ingress-atlas/plugin-ingress-atlas-common';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  readAllowInsecureHttp,
  readOptionalSchedule,
  readPriceOverrides,
} from '@ingress-atlas/plugin-ingress-atlas-node';

export interface AtlasConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  concurrency: number;
  kindConcurrency: number;
  clusterTimeoutMs: number;
  publishEarlyAfterMs: number;
  /** Watch each cluster after listing it, the periodic refresh being a safety net. */
  watch: boolean;
  allowInsecureHttp: boolean;
  importKubernetesConfig: boolean;
  catalogClusters: {
    enabled: boolean;
    allowedHosts: string[];
    serviceAccountToken?: string;
  };
  prices: PriceOverrides;
  prometheusUrl?: string;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 3 },
};

/** With watches keeping the snapshots current, the full refresh only catches what they miss. */
const DEFAULT_SCHEDULE_WHEN_WATCHING: SchedulerServiceTaskScheduleDefinition = {
  ...DEFAULT_SCHEDULE,
  frequency: { hours: 1 },
};

export function readAtlasConfig(root: Config): AtlasConfig {
  const config = root.getOptionalConfig('ingressAtlas');
  const refresh = config?.getOptionalConfig('refresh');
  const positiveInteger = (key: string, fallback: number) => {
    const value = refresh?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `Invalid ingressAtlas.refresh.${key}: ${value}; expected a positive integer`,
      );
    }
    return value;
  };
  const concurrency = positiveInteger('concurrency', 4);
  const kindConcurrency = positiveInteger('kindConcurrency', 4);
  const timeoutSeconds = refresh?.getOptionalNumber('clusterTimeoutSeconds') ?? 60;
  if (!(timeoutSeconds > 0)) {
    throw new Error(
      `Invalid ingressAtlas.refresh.clusterTimeoutSeconds: ${timeoutSeconds}; expected a positive number`,
    );
  }
  const publishEarlySeconds = refresh?.getOptionalNumber('publishEarlyAfterSeconds') ?? 10;
  if (!(publishEarlySeconds > 0)) {
    throw new Error(
      `Invalid ingressAtlas.refresh.publishEarlyAfterSeconds: ${publishEarlySeconds}; expected a positive number`,
    );
  }
  const catalog = config?.getOptionalConfig('catalogClusters');
  const watch = refresh?.getOptionalBoolean('watch') ?? true;
  return {
    schedule: readOptionalSchedule(
      refresh,
      'ingressAtlas.refresh',
      watch ? DEFAULT_SCHEDULE_WHEN_WATCHING : DEFAULT_SCHEDULE,
    ),
    watch,
    concurrency,
    kindConcurrency,
    clusterTimeoutMs: timeoutSeconds * 1000,
    publishEarlyAfterMs: publishEarlySeconds * 1000,
    allowInsecureHttp: readAllowInsecureHttp(root),
    importKubernetesConfig:
      config?.getOptionalBoolean('importKubernetesConfig') ?? true,
    catalogClusters: {
      enabled: catalog?.getOptionalBoolean('enabled') ?? false,
      allowedHosts: catalog?.getOptionalStringArray('allowedHosts') ?? [],
      serviceAccountToken: catalog?.getOptionalString('serviceAccountToken'),
    },
    prices: readPriceOverrides(root),
    prometheusUrl: readPrometheusUrl(config?.getOptionalString('prometheus.url')),
  };
}

/** Prometheus's base URL, where `/api/v1/query` is asked; http(s) only. */
function readPrometheusUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(
      `Invalid ingressAtlas.prometheus.url: ${url}; expected an http(s) URL`,
    );
  }
  return url;
}
