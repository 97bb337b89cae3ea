import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { IngressAtlasClient, ingressAtlasApiRef } from './api';
import { ingressAtlasEntityFilter } from './conditions';
import { IngressAtlasIcon } from './components/IngressAtlasIcon';
import {
  ingressAtlasSearchResultListItem,
  ingressAtlasSearchResultType,
} from './components/IngressAtlasSearchResultListItem';
import {
  entityContentRouteRef,
  rootRouteRef,
  scaffolderTemplateRouteRef,
} from './routes';

const ingressAtlasApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ingressAtlasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IngressAtlasClient({ discoveryApi, fetchApi }),
    }),
});

const ingressAtlasPage = PageBlueprint.make({
  params: {
    path: '/ingress-atlas',
    routeRef: rootRouteRef,
    title: 'Ingress Atlas',
    noHeader: true,
    loader: () =>
      import('./components/IngressAtlasPage').then(m => <m.IngressAtlasPage />),
  },
});

const entityIngressAtlasCard = EntityCardBlueprint.make({
  name: 'ingress',
  params: {
    type: 'info',
    filter: ingressAtlasEntityFilter,
    loader: () =>
      import('./components/EntityIngressAtlasCard').then(m => (
        <m.EntityIngressAtlasCard />
      )),
  },
});

const entityIngressAtlasContent = EntityContentBlueprint.make({
  name: 'ingress',
  params: {
    path: '/ingress',
    title: 'Ingress',
    routeRef: entityContentRouteRef,
    filter: ingressAtlasEntityFilter,
    loader: () =>
      import('./components/EntityIngressAtlasContent').then(m => (
        <m.EntityIngressAtlasContent />
      )),
  },
});

/**
 * Ingress Atlas for the new frontend system: the entity card and Ingress tab for entities
 * with Kubernetes or host annotations, and the Ingress Atlas page in the sidebar.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ingress-atlas',
  title: 'Ingress Atlas',
  icon: <IngressAtlasIcon />,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    ingressAtlasApi,
    ingressAtlasPage,
    entityIngressAtlasCard,
    entityIngressAtlasContent,
    ingressAtlasSearchResultListItem,
    ingressAtlasSearchResultType,
  ],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
  externalRoutes: { scaffolderTemplate: scaffolderTemplateRouteRef },
});
