import {
  RootInstanceMetadataService,
  SchedulerService,
  ServiceFactory,
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
import { Sandbox, startSandbox } from '@ingress-atlas/sandbox';
import { sandboxAtlasConfig } from '@ingress-atlas/sandbox/testUtils';
import { portalFeatures } from 'backend/src/features';
import { PLATFORM_TEAM } from 'backend/src/permissionPolicy';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A user of blog-team only, and one of the platform team. */
export const ALICE = 'user:default/alice';
export const PAT = 'user:default/pat';
const MEMBERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/blog-team'],
  [PAT]: [PAT, PLATFORM_TEAM],
};

/** Group membership as the catalog would resolve it for the two users. */
export const membership: UserInfoService = {
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

/**
 * Backstage's mock auth service, except that a plugin calling another on behalf of a user
 * sends an on-behalf-of token (the user, with the calling plugin as actor) as the real auth
 * service does. The permission backend answers such calls with conditional decisions, which
 * the catalog and search apply; the plain mock would send the user's own token, which the
 * permission backend refuses for resource permissions.
 */
const authWithOnBehalfOfTokens = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const getPluginRequestToken = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const { principal } = options.onBehalfOf as {
        principal: { type: string; userEntityRef?: string };
      };
      if (principal.type !== 'user' || !principal.userEntityRef) {
        return getPluginRequestToken(options);
      }
      return {
        token: mockCredentials.user.token(principal.userEntityRef, {
          actor: { subject: `plugin:${plugin.getId()}` },
        }),
      };
    };
    return auth;
  },
});

export interface Portal {
  sandbox: Sandbox;
  backend: TestBackend;
  installed: RootInstanceMetadataService;
  /** A request to the backend as a user (`/api/...`). */
  fetchAs(user: string, apiPath: string, init?: RequestInit): Promise<Response>;
  /** Runs the scheduled tasks whose ids match, once each, and waits for them. */
  runTasks(ids: RegExp): Promise<void>;
  /** Polls `check` until it holds (true) or the time is up. */
  eventually(check: () => Promise<boolean>, what: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The portal's own backend (packages/backend minus the app's static files) with the bundled
 * permission policy, on the whole sandbox: the atlas reads every sandbox cluster and the
 * Tencent account, the Kubernetes plugin reads tke-blog with a token that may read Secrets
 * (so that only the policy can stop a user), the catalog and search index run on short
 * schedules.
 */
export async function startPortal(): Promise<Portal> {
  const sandbox = await startSandbox({
    estatesDir: path.resolve(__dirname, '../../../examples/sandbox'),
    basePort: 0,
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
  const blog = sandbox.clusters['tke-blog'];
  // Scheduled tasks (refresh, catalog provider, search indexing) run when a test asks.
  // (The instance's own `factory` is untyped: it installs this very instance.)
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
  };
  let backend: TestBackend;
  try {
    const atlas = sandboxAtlasConfig(sandbox).ingressAtlas as object;
    backend = await startTestBackend({
      features: [
        ...portalFeatures(),
        installedPlugins,
        authWithOnBehalfOfTokens,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        ...(process.env.SECURITY_TEST_LOG
          ? [
              mockServices.rootLogger.factory({
                level: process.env.SECURITY_TEST_LOG as any,
              }),
            ]
          : []),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => membership,
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Group',
                    'User',
                  ],
                },
              ],
            },
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
                      serviceAccountToken: blog.token,
                      skipTLSVerify: true,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
            ingressAtlas: atlas,
          },
        }),
      ],
    });
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  const { port } = backend.server.address() as AddressInfo;
  return {
    sandbox,
    backend,
    installed: installed!,
    fetchAs: (user, apiPath, init) =>
      fetch(`http://localhost:${port}${apiPath}`, {
        ...init,
        headers: {
          Authorization: mockCredentials.user.header(user),
          ...init?.headers,
        },
      }),
    async runTasks(ids) {
      for (const { id } of await scheduler.getScheduledTasks()) {
        if (ids.test(id)) await scheduler.triggerTask(id);
      }
    },
    async eventually(check, what) {
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        if (await check()) return;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      throw new Error(`Timed out waiting until ${what}`);
    },
    async stop() {
      await backend.stop();
      await sandbox.stop();
    },
  };
}
