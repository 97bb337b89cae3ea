import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  ingressAtlasCloudProvidersExtensionPoint,
  readTencentAccounts,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { TencentCloudProvider } from './TencentCloudProvider';

/**
 * Adds Tencent Cloud (TKE, CLB, EIP, VPC endpoints, TCM, prices) to the Ingress Atlas.
 *
 * @public
 */
export const ingressAtlasModuleTencent = createBackendModule({
  pluginId: 'ingress-atlas',
  moduleId: 'tencent',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cloudProviders: ingressAtlasCloudProvidersExtensionPoint,
      },
      async init({ config, logger, cloudProviders }) {
        const accounts = readTencentAccounts(config);
        if (accounts.length === 0) {
          logger.info(
            'No Tencent Cloud accounts configured under ingressAtlas.providers.tencent',
          );
          return;
        }
        cloudProviders.addCloudProvider(
          TencentCloudProvider.create({ accounts, logger }),
        );
        logger.info('Reading Tencent Cloud accounts', {
          accounts: accounts.map(a => a.name).join(','),
        });
      },
    });
  },
});
