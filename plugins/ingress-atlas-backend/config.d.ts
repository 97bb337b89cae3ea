import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  ingressAtlas?: {
    /** How often the atlas refreshes all clusters and cloud accounts. Default: every 5 minutes. */
    refresh?: {
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Clusters refreshed at once. Default 4. */
      concurrency?: number;
      /** Kinds listed at once per cluster (one paged LIST each). Default 4. */
      kindConcurrency?: number;
      /** Per-cluster time limit in seconds. Default 60. */
      clusterTimeoutSeconds?: number;
    };
    /**
     * Allow plain-http API server URLs on hosts other than loopback. Default false.
     */
    allowInsecureHttp?: boolean;
    /** Clusters read by the atlas in addition to the ones other sources contribute. */
    clusters?: Array<{
      /** Unique, stable name. */
      name: string;
      title?: string;
      /** API server URL (https; http only on loopback unless allowInsecureHttp). */
      url?: string;
      /** @visibility secret */
      serviceAccountToken?: string;
      /** PEM CA bundle, base64-encoded as in a kubeconfig. */
      caData?: string;
      skipTLSVerify?: boolean;
      /** Path to a kubeconfig file on the backend host (its current context is used). */
      kubeconfigPath?: string;
      /** Folders or files of manifests: an offline, read-only cluster. */
      manifests?: string[];
      provider?: 'tencent' | 'aliyun' | 'huawei' | 'generic';
      region?: string;
      /** The cloud's cluster id, e.g. cls-abc123 on TKE. */
      cloudClusterId?: string;
    }>;
    /**
     * Also read the clusters configured for Backstage's Kubernetes plugin
     * (`kubernetes.clusterLocatorMethods` of type `config` with a service-account token). Default true.
     */
    importKubernetesConfig?: boolean;
    /** Catalog Resources of type `kubernetes-cluster` as clusters. */
    catalogClusters?: {
      enabled?: boolean;
      /** Hosts their `kubernetes.io/api-server` may point at; anything else is refused. */
      allowedHosts?: string[];
      /** @visibility secret */
      serviceAccountToken?: string;
    };
    /**
     * Price overrides per provider and item, e.g. `tencent: { loadBalancer: 0.2 }`
     * (CNY per hour; items: loadBalancer, eipUnbound, eipTraffic, vpcEndpoint, ...).
     */
    prices?: {
      [provider: string]: { [item: string]: number };
    };
    /** Optional Prometheus with Istio metrics, for traffic-based cost. */
    prometheus?: {
      url: string;
    };
  };
}
