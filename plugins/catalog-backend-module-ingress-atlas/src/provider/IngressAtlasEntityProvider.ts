import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { IngressAtlasApi } from '@ingress-atlas/plugin-ingress-atlas-node';
import { EntityProviderConfig } from '../config';
import { atlasEntities } from './atlasEntities';

const PROVIDER_NAME = 'IngressAtlasEntityProvider';

/**
 * Keeps the catalog's Resources for clusters, ingress gateways, load balancers and EIPs in
 * step with the atlas, replacing all of them on every run.
 *
 * @public
 */
export class IngressAtlasEntityProvider implements EntityProvider {
  readonly #atlas: IngressAtlasApi;
  readonly #logger: LoggerService;
  readonly #taskRunner: SchedulerServiceTaskRunner;
  readonly #config: Omit<EntityProviderConfig, 'schedule'>;
  #connection?: EntityProviderConnection;

  static create(options: {
    atlas: IngressAtlasApi;
    logger: LoggerService;
    taskRunner: SchedulerServiceTaskRunner;
    config: Omit<EntityProviderConfig, 'schedule'>;
  }) {
    return new IngressAtlasEntityProvider(options);
  }

  private constructor(options: {
    atlas: IngressAtlasApi;
    logger: LoggerService;
    taskRunner: SchedulerServiceTaskRunner;
    config: Omit<EntityProviderConfig, 'schedule'>;
  }) {
    this.#atlas = options.atlas;
    this.#logger = options.logger;
    this.#taskRunner = options.taskRunner;
    this.#config = options.config;
  }

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner.run({
      id: `${PROVIDER_NAME}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads the atlas and replaces every entity this provider emitted before. */
  async refresh(): Promise<void> {
    if (!this.#connection) {
      throw new Error(`Entity provider ${PROVIDER_NAME} is not connected yet`);
    }
    // Any failure leaves the catalog as it was rather than emptying it.
    const [{ clusters }, exposures, { inventories }] = await Promise.all([
      this.#atlas.getClusters(),
      this.#atlas.getExposures(),
      this.#atlas.getCloudInventory(),
    ]);
    if (!exposures.generatedAt) {
      throw new ServiceUnavailableError(
        'Ingress Atlas has not finished its first refresh; keeping the catalog as it is',
      );
    }
    const { entities, warnings } = atlasEntities({
      ...this.#config,
      clusters,
      exposures,
      cloud: inventories,
    });
    for (const warning of warnings) {
      this.#logger.warn(`Using the default owner: ${warning}`);
    }
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: PROVIDER_NAME,
      })),
    });
    const count = (type: string) =>
      entities.filter(e => e.spec.type === type).length;
    this.#logger.info('Emitted Ingress Atlas entities', {
      clusters: count('kubernetes-cluster'),
      gateways: count('ingress-gateway'),
      cloudResources:
        entities.length -
        count('kubernetes-cluster') -
        count('ingress-gateway'),
    });
  }
}
