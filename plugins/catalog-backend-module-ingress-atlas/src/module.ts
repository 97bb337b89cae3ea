import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ingressAtlasClientServiceRef } from '@ingress-atlas/plugin-ingress-atlas-node';
import { readEntityProviderConfig } from './config';
import { IngressAtlasEntityProvider } from './provider/IngressAtlasEntityProvider';

/**
 * Clusters, ingress gateways, load balancers and EIPs from Ingress Atlas as catalog Resources.
 *
 * @public
 */
export const catalogModuleIngressAtlasEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ingress-atlas-entity-provider',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        atlas: ingressAtlasClientServiceRef,
      },
      async init({ catalog, config, logger, scheduler, atlas }) {
        const { schedule, ...providerConfig } =
          readEntityProviderConfig(config);
        catalog.addEntityProvider(
          IngressAtlasEntityProvider.create({
            atlas,
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
            config: providerConfig,
          }),
        );
      },
    });
  },
});
