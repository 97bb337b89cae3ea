import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createIngressAtlasActions } from './actions';
import { ClusterDirectory } from './clusters';
import { reachabilityProbeFromConfig } from './reachability';

/**
 * Scaffolder actions that move gateways, load balancers, DNS records and meshes on the
 * clusters of `ingressAtlas.clusters`.
 *
 * @public
 */
export const scaffolderModuleIngressAtlas = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ingress-atlas',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      async init({ scaffolder, config, permissions, logger, events }) {
        const clusters = ClusterDirectory.fromConfig(config);
        const probe = reachabilityProbeFromConfig(config);
        scaffolder.addActions(
          ...createIngressAtlasActions({
            clusters,
            permissions,
            logger,
            probe,
            events,
          }),
        );
      },
    });
  },
});
