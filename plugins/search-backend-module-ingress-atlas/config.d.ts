import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** Indexing of the hosts Ingress Atlas found exposed. */
      ingressAtlas?: {
        /** When to re-index. Defaults to every 10 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Where a result links to, with `:namespace`, `:kind` and `:name` of the owning
         * entity. Defaults to the entity's Ingress tab, `/catalog/:namespace/:kind/:name/ingress`.
         */
        locationTemplate?: string;
      };
    };
  };
}
