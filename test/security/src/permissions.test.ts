import {
  RootInstanceMetadataService,
  UserInfoService,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestBackend,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { Sandbox, startSandbox } from '@ingress-atlas/sandbox';
import { portalFeatures } from 'backend/src/features';
import {
  EVERYONE_MAY,
  IngressAtlasPolicy,
  OWN_TASKS_ONLY,
  PLATFORM_TEAM,
} from 'backend/src/permissionPolicy';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * The portal's own backend (packages/backend, minus the app's static files) with the bundled
 * permission policy, as two users see it: alice of blog-team and pat of the platform team.
 */
const ALICE = 'user:default/alice';
const PAT = 'user:default/pat';
const MEMBERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/blog-team'],
  [PAT]: [PAT, PLATFORM_TEAM],
};

/** Group membership as the catalog would resolve it for the two users. */
const membership: UserInfoService = {
  async getUserInfo(credentials) {
    const { userEntityRef } = credentials.principal as {
      userEntityRef: string;
    };
    return {
      userEntityRef,
      ownershipEntityRefs: MEMBERSHIP[userEntityRef] ?? [userEntityRef],
    };
  },
};
const userInfoFromMembership = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => membership,
});

let installed: RootInstanceMetadataService | undefined;
const installedPlugins = createBackendPlugin({
  pluginId: 'installed-plugins',
  register(reg) {
    reg.registerInit({
      deps: { metadata: coreServices.rootInstanceMetadata },
      async init({ metadata }) {
        installed = metadata;
      },
    });
  },
});

describe('the portal as a user outside the platform team meets it', () => {
  let sandbox: Sandbox;
  let backend: TestBackend;
  let baseUrl: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      estatesDir: path.resolve(__dirname, '../../../examples/sandbox'),
      clusters: ['tke-blog'],
      withCloud: false,
      basePort: 0,
    });
    const blog = sandbox.clusters['tke-blog'];
    backend = await startTestBackend({
      features: [
        ...portalFeatures(),
        installedPlugins,
        userInfoFromMembership,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'tke-blog',
                      url: blog.url,
                      authProvider: 'serviceAccount',
                      // A token that may read Secrets: the policy, not the token, must stop alice.
                      serviceAccountToken: blog.token,
                      skipTLSVerify: true,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
            ingressAtlas: {
              importKubernetesConfig: false,
              clusters: [],
              refresh: {
                schedule: {
                  frequency: { hours: 1 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${
      (backend.server.address() as AddressInfo).port
    }`;
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  const as = (user: string) => mockCredentials.user.header(user);

  async function registeredPermissions(): Promise<Permission[]> {
    const plugins = await installed!.getInstalledPlugins();
    const permissions: Permission[] = [];
    for (const { pluginId } of plugins) {
      const response = await fetch(
        `${baseUrl}/api/${pluginId}/.well-known/backstage/permissions/metadata`,
        { headers: { Authorization: mockCredentials.service.header() } },
      );
      if (!response.ok) continue; // a plugin without permissions serves no metadata
      const body = await response.json();
      permissions.push(...(body.permissions ?? []));
    }
    return permissions;
  }

  /**
   * The bundled policy's decision for a user: through the permission backend's API for basic
   * permissions; resource permissions (which that API answers for a user only with a resource)
   * straight from the policy, as the permission backend asks it.
   */
  async function decide(user: string, permission: Permission) {
    if (isResourcePermission(permission)) {
      const credentials = mockCredentials.user(user);
      const info = await membership.getUserInfo(credentials);
      const decision = await new IngressAtlasPolicy(membership).handle(
        { permission },
        { credentials, info },
      );
      return decision.result;
    }
    const response = await fetch(`${baseUrl}/api/permission/authorize`, {
      method: 'POST',
      headers: { Authorization: as(user), 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [{ id: '1', permission }] }),
    });
    if (response.status !== 200) throw new Error(await response.text());
    const { items } = await response.json();
    return items[0].result as AuthorizeResult;
  }

  it('denies every registered permission that is not a read, unless it is the platform team', async () => {
    const permissions = await registeredPermissions();
    const names = permissions.map(p => p.name);
    // The doors found open before: they must be among what the portal registers.
    expect(names).toEqual(
      expect.arrayContaining([
        'kubernetes.proxy',
        'catalog.entity.delete',
        'catalog.location.create',
        'scaffolder.task.read',
        'scaffolder.action.execute',
        'ingress-atlas.migrate',
        'ingress-atlas.cloud-inventory.read',
      ]),
    );

    const decisions: Record<string, { alice: string; pat: string }> = {};
    for (const permission of permissions) {
      decisions[permission.name] = {
        alice: await decide(ALICE, permission),
        pat: await decide(PAT, permission),
      };
    }
    const expected = Object.fromEntries(
      permissions.map(({ name }) => [
        name,
        {
          alice: EVERYONE_MAY.has(name)
            ? AuthorizeResult.ALLOW
            : OWN_TASKS_ONLY.has(name)
            ? AuthorizeResult.CONDITIONAL
            : AuthorizeResult.DENY,
          pat: AuthorizeResult.ALLOW,
        },
      ]),
    );
    expect(decisions).toEqual(expected);
    // Reads stay open: the portal is useful to every team.
    expect(decisions['catalog.entity.read'].alice).toBe(AuthorizeResult.ALLOW);
    expect(decisions['ingress-atlas.read'].alice).toBe(AuthorizeResult.ALLOW);
    expect(decisions['kubernetes.proxy'].alice).toBe(AuthorizeResult.DENY);
  }, 60_000);

  it('keeps the Kubernetes proxy, which holds the clusters tokens, shut to alice', async () => {
    const proxy = (
      user: string,
      method: string,
      apiPath: string,
      body?: object,
    ) =>
      fetch(`${baseUrl}/api/kubernetes/proxy${apiPath}`, {
        method,
        headers: {
          Authorization: as(user),
          'Backstage-Kubernetes-Cluster': 'tke-blog',
          'Content-Type': 'application/json',
        },
        body: body && JSON.stringify(body),
      });
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'door-test', namespace: 'default' },
      data: { by: 'alice' },
    };

    const secrets = await proxy(ALICE, 'GET', '/api/v1/secrets');
    expect(secrets.status).toBe(403);
    expect(await secrets.text()).not.toContain('ATLAS-CANARY');
    expect(
      (
        await proxy(
          ALICE,
          'POST',
          '/api/v1/namespaces/default/configmaps',
          configMap,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await proxy(
          ALICE,
          'DELETE',
          '/api/v1/namespaces/default/configmaps/door-test',
        )
      ).status,
    ).toBe(403);
    const { store } = sandbox.running[0];
    expect(
      store.get(store.type('', 'configmaps')!, 'default', 'door-test'),
    ).toBeUndefined();

    // The platform team keeps the proxy (pod logs, debugging).
    // The platform team passes the permission check. (What the proxy then does needs the
    // Kubernetes client's ES modules, which jest's VM cannot load; the browser tests use it.)
    expect((await proxy(PAT, 'GET', '/api/v1/namespaces')).status).not.toBe(
      403,
    );
  });

  it('keeps registering catalog locations to the platform team', async () => {
    const addLocation = await fetch(`${baseUrl}/api/catalog/locations`, {
      method: 'POST',
      headers: { Authorization: as(ALICE), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'url',
        target: 'https://example.com/catalog-info.yaml',
      }),
    });
    expect(addLocation.status).toBe(403);
  });
});
