import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/*
 * The backend's own settings. The clusters, cloud accounts and prices it shares with the
 * scaffolder actions are declared in @ingress-atlas/plugin-ingress-atlas-node.
 */
export interface Config {
  ingressAtlas?: {
    refresh?: {
      /**
       * How often the atlas lists all clusters and reads all cloud accounts. Default: every
       * hour while watching (see `watch`), every 5 minutes otherwise.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Keep a watch on every kind of every live cluster after listing it, so that a change
       * is published within seconds instead of at the next refresh. One replica watches (the
       * one holding the watch lease in the database); the others serve the stored model.
       * Default true.
       */
      watch?: boolean;
      /** Clusters refreshed at once. Default 4. */
      concurrency?: number;
      /** Kinds listed at once per cluster (one paged LIST each). Default 4. */
      kindConcurrency?: number;
      /** Per-cluster time limit in seconds. Default 60. */
      clusterTimeoutSeconds?: number;
      /**
       * When clusters are still being read this many seconds into a refresh, the clusters
       * read so far are published without waiting for the slow ones. Default 10.
       */
      publishEarlyAfterSeconds?: number;
    };
    /**
     * Also read the clusters configured for Backstage's Kubernetes plugin
     * (`kubernetes.clusterLocatorMethods` of type `config` with a service-account token). Default true.
     */
    importKubernetesConfig?: boolean;
    /** Catalog Resources of type `kubernetes-cluster` as clusters. */
    catalogClusters?: {
      enabled?: boolean;
      /**
       * API servers their `kubernetes.io/api-server` may point at, each a host with an
       * optional port and path (`k8s.example.com`, `k8s.example.com:6443`,
       * `rancher.example.com/k8s/clusters`); hosts compare case-insensitively, and any other
       * port or path is refused. Catalog clusters never take the name of a configured or
       * discovered cluster.
       */
      allowedHosts?: string[];
      /** @visibility secret */
      serviceAccountToken?: string;
    };
    /**
     * Optional Prometheus with Istio's standard metrics, for the traffic of entries no cloud
     * monitoring measured: what each gateway workload sent over the last two days
     * (`istio_response_bytes_sum` and `istio_tcp_sent_bytes_total`, `reporter="source"`),
     * asked through `/api/v1/query` once per refresh. Without it, no query is made.
     */
    prometheus?: {
      /** Base URL, e.g. `http://prometheus.istio-system:9090`. */
      url: string;
    };
  };
}
