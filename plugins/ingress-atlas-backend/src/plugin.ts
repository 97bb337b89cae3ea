import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_PRICES,
  ingressAtlasPermissions,
  mergePriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  IngressAtlasCloudProvider,
  IngressAtlasClusterSource,
  ingressAtlasCloudProvidersExtensionPoint,
  ingressAtlasClusterSourcesExtensionPoint,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { catalogClusterSource } from './clusters/catalogClusterSource';
import {
  configClusterSource,
  kubernetesConfigClusterSource,
} from './clusters/configClusterSource';
import { readAtlasConfig } from './config';
import { readManifestInventory } from './manifests';
import { AtlasRefresher } from './refresh/AtlasRefresher';
import { createRouter } from './router';
import { AnalysisRunner } from './service/AnalysisRunner';
import { AtlasModelService } from './service/AtlasModelService';
import { readCatalogEntities } from './service/readCatalogEntities';
import { SnapshotStore } from './snapshots/SnapshotStore';

const REFRESH_TASK_ID = 'ingress-atlas:refresh';

function withTimeout<T>(promise: Promise<T> | undefined, ms: number) {
  if (!promise) return undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/**
 * Ingress Atlas backend: discovers clusters and cloud accounts, stores their snapshots,
 * analyses exposure and serves it.
 *
 * @public
 */
export const ingressAtlasPlugin = createBackendPlugin({
  pluginId: 'ingress-atlas',
  register(env) {
    const sources: IngressAtlasClusterSource[] = [];
    const cloudProviders: IngressAtlasCloudProvider[] = [];
    const addUnique = <T extends { id: string }>(list: T[], item: T, what: string) => {
      if (list.some(existing => existing.id === item.id)) {
        throw new Error(`A ${what} with id '${item.id}' is already registered`);
      }
      list.push(item);
    };
    env.registerExtensionPoint(ingressAtlasClusterSourcesExtensionPoint, {
      addClusterSource: source => addUnique(sources, source, 'cluster source'),
    });
    env.registerExtensionPoint(ingressAtlasCloudProvidersExtensionPoint, {
      addCloudProvider: provider =>
        addUnique(cloudProviders, provider, 'cloud provider'),
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        database,
        scheduler,
        lifecycle,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        const atlasConfig = readAtlasConfig(config);
        permissionsRegistry.addPermissions(ingressAtlasPermissions);

        const builtInSources = [
          configClusterSource(config),
          ...(atlasConfig.importKubernetesConfig
            ? [kubernetesConfigClusterSource(config, atlasConfig)]
            : []),
          ...(atlasConfig.catalogClusters.enabled
            ? [
                catalogClusterSource({
                  catalog,
                  auth,
                  logger,
                  allowInsecureHttp: atlasConfig.allowInsecureHttp,
                  ...atlasConfig.catalogClusters,
                }),
              ]
            : []),
        ];

        const store = await SnapshotStore.create({ database });
        const analysis = AnalysisRunner.create({ logger });
        lifecycle.addShutdownHook(() => analysis.stop());
        const models = AtlasModelService.create({ store, analysis, logger });
        const refresher = AtlasRefresher.create({
          logger,
          store,
          sources: [...builtInSources, ...sources],
          cloudProviders,
          concurrency: atlasConfig.concurrency,
          kindConcurrency: atlasConfig.kindConcurrency,
          clusterTimeoutMs: atlasConfig.clusterTimeoutMs,
          readManifests: readManifestInventory,
        });
        lifecycle.addShutdownHook(() => refresher.stop());

        const refresh = async () => {
          const started = Date.now();
          const summary = await refresher.refresh();
          const inquired: Record<string, Record<string, number>> = {};
          for (const provider of cloudProviders) {
            try {
              // Price APIs only refine the catalogue: they may not hold up a refresh.
              const prices = await withTimeout(provider.inquirePrices?.(), 15_000);
              if (prices) inquired[provider.id] = prices;
            } catch (error) {
              logger.debug('Price inquiry failed; using the catalogue', {
                provider: provider.id,
                error: (error as Error).message,
              });
            }
          }
          const prices = mergePriceCatalogue(
            mergePriceCatalogue(DEFAULT_PRICES, atlasConfig.prices),
            inquired,
            { source: 'provider price API', date: new Date().toISOString().slice(0, 10) },
          );
          logger.debug('Analysing the stored snapshots');
          const analysed = await analysis.analyze({
            snapshots: await store.listStoredClusters(),
            clouds: await store.listCloud(),
            prices,
            entities: await readCatalogEntities({ catalog, auth }),
            now: new Date().toISOString(),
          });
          await models.publish(analysed, summary.sourceErrors);
          logger.info('Refreshed the atlas', {
            clusters: summary.clusters.length,
            failed: summary.clusters.filter(c => !c.ok).length,
            paths: analysed.model.paths.length,
            findings: analysed.model.findings.length,
            ms: Date.now() - started,
          });
        };

        const taskRunner = scheduler.createScheduledTaskRunner(atlasConfig.schedule);
        await taskRunner.run({ id: REFRESH_TASK_ID, fn: refresh });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            models,
            store,
            triggerRefresh: () => scheduler.triggerTask(REFRESH_TASK_ID),
          }),
        );
      },
    });
  },
});
