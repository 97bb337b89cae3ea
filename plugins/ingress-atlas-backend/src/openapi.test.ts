import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import tencentModule from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import {
  SandboxAtlas,
  startSandboxAtlas,
} from '@ingress-atlas/sandbox/testUtils';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ingressAtlasPlugin } from './plugin';
import { createRouter } from './router';
import type { CostHistoryStore } from './costHistory/CostHistoryStore';
import type { AtlasModelService } from './views/AtlasModelService';
import type { SnapshotStore } from './snapshots/SnapshotStore';

jest.setTimeout(180_000);

type Schema = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

const spec = parse(
  fs.readFileSync(path.resolve(__dirname, '../openapi.yaml'), 'utf8'),
);
const operations: Array<[method: string, route: string, operation: Operation]> =
  Object.entries(
    spec.paths as Record<string, Record<string, Operation>>,
  ).flatMap(([route, methods]) =>
    Object.entries(methods).map(
      ([method, operation]) =>
        [method, route, operation] as [string, string, Operation],
    ),
  );

/** The schema with its `$ref`s to components replaced by what they name. */
function resolved(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolved);
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Schema;
  if (typeof $ref === 'string') {
    const target = $ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((at, key) => at[key], spec);
    return resolved(target);
  }
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, resolved(value)]),
  );
}

describe('openapi.yaml', () => {
  it('documents every route of the router, and no other', async () => {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      // Only the routes are read here: nothing is called.
      models: {} as AtlasModelService,
      store: {} as SnapshotStore,
      costHistory: {} as CostHistoryStore,
      triggerRefresh: async () => {},
    });
    const routes = (router.stack as any[])
      .filter(layer => layer.route)
      .flatMap(layer =>
        Object.keys(layer.route.methods).map(
          method => `${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`,
        ),
      );
    expect(routes.sort()).toEqual(
      operations.map(([method, route]) => `${method} ${route}`).sort(),
    );
  });

  describe('on the sandbox', () => {
    let atlas: SandboxAtlas;

    beforeAll(async () => {
      atlas = await startSandboxAtlas({
        features: [ingressAtlasPlugin, tencentModule],
      });
    });

    afterAll(() => atlas?.stop());

    it.each(operations)(
      '%s %s answers what it documents',
      async (method, route, operation) => {
        const { port } = atlas.backend.server.address() as AddressInfo;
        const url = `http://localhost:${port}/api/ingress-atlas${route
          .replace('{kind}', 'component')
          .replace('{namespace}', 'default')
          .replace('{name}', 'blog')}`;
        const response = await fetch(url, {
          method: method.toUpperCase(),
          headers: { Authorization: mockCredentials.user.header() },
        });
        // A permitted caller gets the success answer, not one of the documented errors.
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(300);
        const documented = operation.responses[String(response.status)];
        expect(documented).toBeDefined();
        const schema = documented.content?.['application/json']?.schema;
        const checked = z
          .fromJSONSchema(resolved(schema) as any)
          .safeParse(await response.json());
        expect(checked.success ? [] : checked.error.issues).toEqual([]);
      },
    );
  });
});
