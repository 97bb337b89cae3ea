/*
 * The portal's backend without the Ingress Atlas plugins (the rest as packages/backend starts
 * it, Backstage's Kubernetes plugin included): the baseline the benchmark subtracts from the
 * backend's memory to tell the atlas's own. Run by run.ts as the backend's entry file.
 */
import atlasBackend from '@ingress-atlas/plugin-ingress-atlas-backend';
import atlasTencentModule from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import atlasCatalogModule from '@ingress-atlas/plugin-catalog-backend-module-ingress-atlas';
import atlasSearchModule from '@ingress-atlas/plugin-search-backend-module-ingress-atlas';
import atlasScaffolderModule from '@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas';
import { portalFeatures } from '../../packages/backend/src/features';
import { startPortalBackend } from '../../packages/backend/src/portalBackend';

const ATLAS = new Set<unknown>([
  atlasBackend,
  atlasTencentModule,
  atlasCatalogModule,
  atlasSearchModule,
  atlasScaffolderModule,
]);

startPortalBackend(portalFeatures().filter(feature => !ATLAS.has(feature)));
