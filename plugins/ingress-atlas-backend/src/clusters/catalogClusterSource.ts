import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterConnection,
  IngressAtlasClusterSource,
  validateClusterUrl,
} from '@ingress-atlas/plugin-ingress-atlas-node';

const API_SERVER = 'kubernetes.io/api-server';
const API_SERVER_CA = 'kubernetes.io/api-server-certificate-authority';

/**
 * Catalog Resources of type `kubernetes-cluster` (as Backstage's Kubernetes plugin reads them).
 * Catalog data is not trusted: a URL whose host is not explicitly allowed is refused.
 */
export function catalogClusterSource(options: {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  allowedHosts: string[];
  allowInsecureHttp: boolean;
  serviceAccountToken?: string;
}): IngressAtlasClusterSource {
  return {
    id: 'catalog',
    async listClusters() {
      const { items } = await options.catalog.getEntities(
        { filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' } },
        { credentials: await options.auth.getOwnServiceCredentials() },
      );
      const connections: ClusterConnection[] = [];
      for (const entity of items) {
        const url = entity.metadata.annotations?.[API_SERVER];
        // Clusters the atlas itself published to the catalog are already known to it.
        const managedBy = entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '';
        if (!url || managedBy.startsWith('ingress-atlas:')) continue;
        try {
          validateClusterUrl(url, {
            allowInsecureHttp: options.allowInsecureHttp,
            allowedHosts: options.allowedHosts,
            what: `catalog cluster ${entity.metadata.name}`,
          });
        } catch (error) {
          options.logger.warn('Skipping catalog cluster', {
            cluster: entity.metadata.name,
            error: (error as Error).message,
          });
          continue;
        }
        connections.push({
          descriptor: {
            name: entity.metadata.name,
            title: entity.metadata.title,
            source: 'catalog',
            provider: 'generic',
            url,
          },
          auth: {
            token: options.serviceAccountToken,
            caData: entity.metadata.annotations?.[API_SERVER_CA],
          },
        });
      }
      return connections;
    },
  };
}
