import { SWRConfig } from 'swr';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import ingressAtlasPlugin from '../alpha';
import { rootRouteRef } from '../routes';

/**
 * Renders an element in a test app with the real plugin installed, so API calls go through
 * the plugin's own client, discovery and fetch to the msw server. Each render starts with an
 * empty cache of permission decisions (usePermission keeps them in SWR's global cache), as a
 * fresh page load does, so one test's permissions never leak into the next. Following the
 * atlas's changes is off unless `config.ingressAtlas.followChangesSeconds` turns it on.
 */
export function renderWithPlugin(
  element: JSX.Element,
  options: {
    entity?: Entity;
    path?: string;
    apis?: readonly any[];
    config?: NonNullable<Parameters<typeof renderInTestApp>[1]>['config'];
  } = {},
) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      {options.entity ? (
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </SWRConfig>,
    {
      features: [ingressAtlasPlugin],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/ingress-atlas': rootRouteRef,
      },
      initialRouteEntries: options.path ? [options.path] : undefined,
      apis: options.apis ?? [],
      // A page follows the atlas's changes by asking for /clusters; tests that do not serve
      // it leave that off.
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
        ...options.config,
        ingressAtlas: {
          followChangesSeconds: 0,
          ...(options.config?.ingressAtlas as object | undefined),
        },
      },
    },
  );
}
