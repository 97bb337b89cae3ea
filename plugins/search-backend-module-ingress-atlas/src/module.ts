import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { ingressAtlasClientServiceRef } from '@ingress-atlas/plugin-ingress-atlas-node';
import { IngressAtlasCollatorFactory } from './collator/IngressAtlasCollatorFactory';
import { readCollatorConfig } from './collator/config';

/**
 * Indexes the hosts Ingress Atlas found exposed, for the portal's search.
 *
 * @public
 */
export const searchModuleIngressAtlasCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'ingress-atlas-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        atlas: ingressAtlasClientServiceRef,
      },
      async init({ config, logger, scheduler, indexRegistry, atlas }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readCollatorConfig(config).schedule,
          ),
          factory: IngressAtlasCollatorFactory.fromConfig(config, {
            atlas,
            logger,
          }),
        });
      },
    });
  },
});
