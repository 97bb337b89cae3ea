import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { IngressAtlasClient, ingressAtlasApiRef } from './api';
import {
  entityContentRouteRef,
  rootRouteRef,
  scaffolderTemplateRouteRef,
} from './routes';

/**
 * Ingress Atlas for apps on the legacy frontend system.
 *
 * @public
 */
export const ingressAtlasPlugin = createPlugin({
  id: 'ingress-atlas',
  apis: [
    createApiFactory({
      api: ingressAtlasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IngressAtlasClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
  externalRoutes: { scaffolderTemplate: scaffolderTemplateRouteRef },
});

/**
 * The Ingress Atlas page: clusters, mesh topology, cost and findings.
 *
 * @public
 */
export const IngressAtlasPage: () => JSX.Element = ingressAtlasPlugin.provide(
  createRoutableExtension({
    name: 'IngressAtlasPage',
    component: () =>
      import('./components/IngressAtlasPage').then(m => m.IngressAtlasPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The entity's Ingress tab.
 *
 * @public
 */
export const EntityIngressAtlasContent: () => JSX.Element =
  ingressAtlasPlugin.provide(
    createRoutableExtension({
      name: 'EntityIngressAtlasContent',
      component: () =>
        import('./components/EntityIngressAtlasContent').then(
          m => m.EntityIngressAtlasContent,
        ),
      mountPoint: entityContentRouteRef,
    }),
  );

/**
 * The entity overview card: how the entity is reached and what it costs.
 *
 * @public
 */
export const EntityIngressAtlasCard: () => JSX.Element =
  ingressAtlasPlugin.provide(
    createComponentExtension({
      name: 'EntityIngressAtlasCard',
      component: {
        lazy: () =>
          import('./components/EntityIngressAtlasCard').then(
            m => m.EntityIngressAtlasCard,
          ),
      },
    }),
  );
