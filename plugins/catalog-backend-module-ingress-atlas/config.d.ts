import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  ingressAtlas?: {
    /** Clusters, ingress gateways, load balancers and EIPs as catalog Resources. */
    catalog?: {
      /** Owner of the emitted Resources. Defaults to `group:default/platform-team`. */
      owner?: string;
      /**
       * A cloud tag whose value, an entity ref (a bare name is a group), owns the load
       * balancer or EIP it is on. Defaults to `owner`.
       */
      ownerTag?: string;
      /**
       * The `kubernetes.io/auth-provider` of cluster Resources, for Backstage's Kubernetes
       * plugin. Defaults to `serviceAccount`.
       */
      clusterAuthProvider?: string;
      /** When to re-read the atlas. Defaults to every 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
