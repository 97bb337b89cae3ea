import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  CATALOG_READ_WITHOUT_ACCOUNT_INVENTORY,
  EVERYONE_MAY,
  IngressAtlasPolicy,
  OWN_TASKS_ONLY,
} from 'backend/src/permissionPolicy';
import { ALICE, PAT, Portal, membership, startPortal } from './portal';

describe('the portal as a user outside the platform team meets it', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  }, 120_000);

  afterAll(() => portal?.stop());

  async function registeredPermissions(): Promise<Permission[]> {
    const permissions: Permission[] = [];
    for (const { pluginId } of await portal.installed.getInstalledPlugins()) {
      const response = await fetch(
        `http://localhost:${(portal.backend.server.address() as any).port}` +
          `/api/${pluginId}/.well-known/backstage/permissions/metadata`,
        { headers: { Authorization: mockCredentials.service.header() } },
      );
      if (!response.ok) continue; // a plugin without permissions serves no metadata
      permissions.push(...((await response.json()).permissions ?? []));
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
    const response = await portal.fetchAs(user, '/api/permission/authorize', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [{ id: '1', permission }] }),
    });
    if (response.status !== 200) throw new Error(await response.text());
    return (await response.json()).items[0].result as AuthorizeResult;
  }

  it('denies every registered permission that is not a read, unless it is the platform team', async () => {
    const permissions = await registeredPermissions();
    // The doors found open before: they must be among what the portal registers.
    expect(permissions.map(p => p.name)).toEqual(
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
    const aliceMay = (name: string) => {
      if (EVERYONE_MAY.has(name)) return AuthorizeResult.ALLOW;
      if (OWN_TASKS_ONLY.has(name)) return AuthorizeResult.CONDITIONAL;
      if (name === CATALOG_READ_WITHOUT_ACCOUNT_INVENTORY) {
        return AuthorizeResult.CONDITIONAL;
      }
      return AuthorizeResult.DENY;
    };
    expect(decisions).toEqual(
      Object.fromEntries(
        permissions.map(({ name }) => [
          name,
          { alice: aliceMay(name), pat: AuthorizeResult.ALLOW },
        ]),
      ),
    );
    // Reads stay open: the portal is useful to every team.
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
      portal.fetchAs(user, `/api/kubernetes/proxy${apiPath}`, {
        method,
        headers: {
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
    const { store } = portal.sandbox.running.find(c => c.name === 'tke-blog')!;
    expect(
      store.get(store.type('', 'configmaps')!, 'default', 'door-test'),
    ).toBeUndefined();

    // The platform team passes the permission check. (What the proxy then does needs the
    // Kubernetes client's ES modules, which jest's VM cannot load.)
    expect((await proxy(PAT, 'GET', '/api/v1/namespaces')).status).not.toBe(
      403,
    );
  });

  it('keeps registering catalog locations to the platform team', async () => {
    const addLocation = await portal.fetchAs(ALICE, '/api/catalog/locations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'url',
        target: 'https://example.com/catalog-info.yaml',
      }),
    });
    expect(addLocation.status).toBe(403);
  });
});
