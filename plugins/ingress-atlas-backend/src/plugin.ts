import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import os from 'node:os';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ingressAtlasPermissions } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  INGRESS_ATLAS_CHANGES_TOPIC,
  IngressAtlasChanges,
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
import { ClusterWatches } from './collection/ClusterWatcher';
import { CostHistoryStore } from './costHistory/CostHistoryStore';
import { readAtlasConfig } from './config';
import { PrometheusTraffic } from './traffic/PrometheusTraffic';
import { readManifestInventory } from './manifests';
import { AtlasRefresher } from './refresh/AtlasRefresher';
import { Leases } from './refresh/Leases';
import { RefreshCycle } from './refresh/RefreshCycle';
import { createRouter } from './router';
import { AnalysisRunner } from './analysis/AnalysisRunner';
import { AtlasModelService } from './views/AtlasModelService';
import { SnapshotStore } from './snapshots/SnapshotStore';

const REFRESH_TASK_ID = 'ingress-atlas:refresh';

/**
 * This replica, the same after a restart: its host and the port it listens on. Undefined when
 * the port is chosen at startup (0, as in tests), where two processes on one host could not
 * be told apart.
 */
function replicaId(config: Config): string | undefined {
  const listen = config.getOptional('backend.listen');
  const port =
    typeof listen === 'string'
      ? listen.split(':').pop()
      : (listen as { port?: number } | undefined)?.port ?? 7007;
  if (!port || Number(port) === 0) return undefined;
  return `${os.hostname()}:${port}`;
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
        events: eventsServiceRef,
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
        events,
      }) {
        const atlasConfig = readAtlasConfig(config);
        permissionsRegistry.addPermissions(ingressAtlasPermissions);

        const builtInSources = [
          configClusterSource(config),
          ...(atlasConfig.importKubernetesConfig
            ? [kubernetesConfigClusterSource(config, atlasConfig)]
            : []),
        ];
        const catalogSources = atlasConfig.catalogClusters.enabled
          ? [
              catalogClusterSource({
                catalog,
                auth,
                logger,
                allowInsecureHttp: atlasConfig.allowInsecureHttp,
                ...atlasConfig.catalogClusters,
              }),
            ]
          : [];

        const store = await SnapshotStore.create({ database });
        // Its table comes with the store's migrations.
        const costHistory = CostHistoryStore.create({
          db: await database.getClient(),
        });
        const analysis = AnalysisRunner.create({ logger });
        lifecycle.addShutdownHook(() => analysis.stop());
        const models = AtlasModelService.create({ store, analysis, logger });
        const watches = atlasConfig.watch
          ? ClusterWatches.create({ logger, store })
          : undefined;
        const refresher = AtlasRefresher.create({
          logger,
          store,
          sources: [...builtInSources, ...sources],
          cloudProviders,
          lastSources: catalogSources,
          concurrency: atlasConfig.concurrency,
          kindConcurrency: atlasConfig.kindConcurrency,
          clusterTimeoutMs: atlasConfig.clusterTimeoutMs,
          readManifests: readManifestInventory,
          watches,
        });
        lifecycle.addShutdownHook(() => refresher.stop());

        const cycle = RefreshCycle.create({
          logger,
          store,
          costHistory,
          leases: Leases.create({ db: await database.getClient() }),
          refresher,
          analysis,
          models,
          cloudProviders,
          prices: atlasConfig.prices,
          meshTraffic: atlasConfig.prometheusUrl
            ? PrometheusTraffic.create({ url: atlasConfig.prometheusUrl })
            : undefined,
          catalog,
          auth,
          publishEarlyAfterMs: atlasConfig.publishEarlyAfterMs,
          watches,
          holder: replicaId(config),
        });
        lifecycle.addShutdownHook(() => cycle.stop());

        // Every replica runs the task on its own schedule; the cycle's lease lets one refresh.
        const taskRunner = scheduler.createScheduledTaskRunner({
          ...atlasConfig.schedule,
          scope: 'local',
        });
        await taskRunner.run({
          id: REFRESH_TASK_ID,
          fn: async () => {
            await cycle.run();
          },
        });

        // A migration the scaffolder just ran shows at once, not at the next refresh.
        await events.subscribe({
          id: 'ingress-atlas-changes',
          topics: [INGRESS_ATLAS_CHANGES_TOPIC],
          onEvent: async ({ eventPayload }) => {
            await cycle.afterChanges(eventPayload as IngressAtlasChanges).catch(error =>
              logger.warn('Reading the estate again after a migration failed', {
                error: error.message,
              }),
            );
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            models,
            store,
            costHistory,
            triggerRefresh: () => scheduler.triggerTask(REFRESH_TASK_ID),
          }),
        );
      },
    });
  },
});
