import {
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import atlasScaffolderModule from '@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas';
import { ingressAtlasMigratePermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import type { AddressInfo } from 'node:net';

/** May run the scaffolder's dry runs, but not change clusters. */
const DRY_RUNNER = 'user:default/dry-runner';
/** May do both. */
const MIGRATOR = 'user:default/migrator';

/**
 * Decisions by user and permission name: whatever the portal's policy says, the question here
 * is whose credentials the actions ask with inside a dry run.
 */
const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => {
    const decide = (name: string, credentials: any) => {
      const user = credentials?.principal?.userEntityRef;
      const allowed =
        user === MIGRATOR ||
        (user === DRY_RUNNER && name !== ingressAtlasMigratePermission.name) ||
        credentials?.principal?.type === 'service';
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    };
    return {
      authorize: async (requests, { credentials }) =>
        requests.map(r => decide(r.permission.name, credentials)) as any,
      authorizeConditional: async (requests, { credentials }) =>
        requests.map(r => decide(r.permission.name, credentials)) as any,
    };
  },
});

/** A template of one atlas step, as the template editor and the atlas's preview send it. */
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'bind-eip', namespace: 'default' },
  spec: {
    type: 'migration',
    parameters: [],
    steps: [
      {
        id: 'bind-eip',
        name: 'Give the gateway pods their own EIPs',
        action: 'ingress-atlas:gateway:bind-eip',
        input: {
          cluster: 'tke-blog',
          namespace: 'istio-system',
          gateway: 'istio-ingressgateway',
        },
      },
    ],
  },
};

describe('a dry run of an atlas template', () => {
  it("runs the atlas's actions with the caller's permissions, not the scaffolder's", async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderBackend,
        atlasScaffolderModule,
        catalogBackend,
        permissions,
        mockServices.rootConfig.factory({
          data: { ingressAtlas: { clusters: [] } },
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const dryRun = async (user: string) => {
      const response = await fetch(
        `http://localhost:${port}/api/scaffolder/v2/dry-run`,
        {
          method: 'POST',
          headers: {
            Authorization: mockCredentials.user.header(user),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ template, values: {}, directoryContents: [] }),
        },
      );
      return { status: response.status, body: await response.json() };
    };

    // Allowed the dry run, denied the migration: the action refuses as for a real run.
    const refused = await dryRun(DRY_RUNNER);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      `${DRY_RUNNER} may not do this: permission ingress-atlas.migrate was denied`,
    );

    // Allowed both: the action gets past its permission check to the cluster it names.
    const allowed = await dryRun(MIGRATOR);
    expect(allowed.body.error.message).toContain('Unknown cluster "tke-blog"');
  });
});
