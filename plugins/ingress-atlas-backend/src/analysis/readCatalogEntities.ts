import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { OWNERSHIP_ANNOTATIONS } from '@ingress-atlas/plugin-ingress-atlas-common';
import { CatalogEntityLite } from '../engine';

/**
 * The catalog entities that can own exposure: those annotated for Kubernetes or for us, in a
 * stable order (a change of order alone is no change to analyse again).
 */
export async function readCatalogEntities(options: {
  catalog: CatalogService;
  auth: AuthService;
}): Promise<CatalogEntityLite[]> {
  const { items } = await options.catalog.getEntities(
    {
      filter: OWNERSHIP_ANNOTATIONS.map(annotation => ({
        [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
      })),
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
      ],
    },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  return items
    .map(entity => ({
      ref: stringifyEntityRef(entity),
      annotations: entity.metadata.annotations ?? {},
    }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}
