import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  TestBackend,
  TestBackendOptions,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject, JsonValue } from '@backstage/types';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Sandbox, startSandbox } from '../startSandbox';

const examplesDir = resolvePackagePath(
  '@ingress-atlas/sandbox',
  '../../examples',
);

const REFRESH_TIMEOUT_MS = 120_000;

/** The credentials the cloud stand-in of examples/sandbox accepts. */
const SANDBOX_TENCENT_CREDENTIALS = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

export interface SandboxAtlasOptions<TExtensionPoints extends any[]> {
  /**
   * The ingress-atlas backend plugin, its Tencent module and whatever is under test. They are
   * passed in because the plugin packages depend on this one for their tests, not the reverse.
   */
  features: NonNullable<TestBackendOptions<TExtensionPoints>['features']>;
  extensionPoints?: TestBackendOptions<TExtensionPoints>['extensionPoints'];
  /** Merged over the atlas config the helper writes, e.g. for the module under test. */
  config?: JsonObject;
  /** Catalog entities besides the demo ones of examples/entities.yaml. */
  entities?: Entity[];
  /** Return once the first refresh is published (the default), or right after startup. */
  waitForFirstRefresh?: boolean;
}

export interface SandboxAtlas {
  backend: TestBackend;
  sandbox: Sandbox;
  /** Reads a path of the ingress-atlas API (`/clusters`, `/exposures`...) as a user. */
  get(path: string): Promise<any>;
  /** Triggers a refresh of the atlas as a user and waits until its model is published. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox of examples/sandbox and a test backend reading it through the real
 * ingress-atlas plugin, with the demo catalog entities of examples/entities.yaml. The atlas
 * refreshes only when asked, so tests decide when it has data.
 */
export async function startSandboxAtlas<TExtensionPoints extends any[]>(
  options: SandboxAtlasOptions<TExtensionPoints>,
): Promise<SandboxAtlas> {
  const sandbox = await startSandbox({
    estatesDir: path.join(examplesDir, 'sandbox'),
    basePort: 0,
  });
  let backend: TestBackend | undefined;
  const stop = async () => {
    await backend?.stop();
    await sandbox.stop();
  };
  try {
    backend = await startTestBackend({
      extensionPoints: options.extensionPoints,
      features: [
        ...options.features,
        catalogServiceMock.factory({
          entities: [...demoEntities(), ...(options.entities ?? [])],
        }),
        mockServices.rootConfig.factory({
          data: merge(sandboxAtlasConfig(sandbox), options.config ?? {}),
        }),
      ],
    });
    const atlas = { backend, sandbox, ...atlasApi(backend), stop };
    if (options.waitForFirstRefresh ?? true) {
      await atlas.refresh();
    }
    return atlas;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * For a describe block whose tests each start their own atlas: wraps `start` so that the atlas
 * it started is stopped after each test.
 */
export function stoppedAfterEach<TArgs extends any[], TStarted extends { atlas: SandboxAtlas }>(
  start: (...args: TArgs) => Promise<TStarted>,
): (...args: TArgs) => Promise<TStarted> {
  let running: SandboxAtlas | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (...args) => {
    const started = await start(...args);
    running = started.atlas;
    return started;
  };
}

/**
 * Permissions granting users everything and other plugins nothing, so that a plugin reading
 * the atlas as itself is refused while tests can still refresh it as a user.
 */
export function usersOnlyPermissions() {
  return mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(() => ({
        result:
          (credentials.principal as { type: string }).type === 'user'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  }).factory;
}

/** The atlas's config (clusters, Tencent account) for a running sandbox, refreshed only when asked. */
export function sandboxAtlasConfig(sandbox: Sandbox): JsonObject {
  const tencentRegions = new Set(
    sandbox.running
      .filter(c => c.spec.provider === 'tencent')
      .map(c => c.spec.region),
  );
  return {
    ingressAtlas: {
      refresh: {
        schedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 2 },
          initialDelay: { hours: 1 },
        },
        clusterTimeoutSeconds: 10,
      },
      clusters: sandbox.running.map(({ name, url, token, spec }) => ({
        name,
        url,
        serviceAccountToken: token,
        provider: spec.provider,
        region: spec.region,
        ...(spec.cloudClusterId && { cloudClusterId: spec.cloudClusterId }),
        ...(sandbox.running.some(r => r.name === spec.istioConfigCluster) && {
          istioConfigCluster: spec.istioConfigCluster,
        }),
      })),
      importKubernetesConfig: false,
      providers: {
        tencent: [
          {
            name: 'sandbox',
            regions: [...tencentRegions],
            endpoint: sandbox.cloud!.url,
            kubeconfigAccess: 'none',
            credentials: SANDBOX_TENCENT_CREDENTIALS,
          },
        ],
      },
    },
  };
}

function demoEntities(): Entity[] {
  const text = fs.readFileSync(path.join(examplesDir, 'entities.yaml'), 'utf8');
  return parseAllDocuments(text).map(d => d.toJS());
}

function atlasApi(backend: TestBackend) {
  const { port } = backend.server.address() as AddressInfo;
  const call = async (method: string, apiPath: string) => {
    const url = `http://localhost:${port}/api/ingress-atlas${apiPath}`;
    const response = await fetch(url, {
      method,
      headers: { Authorization: mockCredentials.user.header() },
    });
    if (!response.ok) {
      throw new Error(
        `${method} ${url} answered ${
          response.status
        }: ${await response.text()}`,
      );
    }
    return response.json();
  };
  const get = (apiPath: string) => call('GET', apiPath);

  const refresh = async () => {
    const { generatedAt: before } = await get('/clusters');
    await call('POST', '/refresh');
    // The scheduler picks a triggered task up within a few seconds; a refresh takes a few more.
    const deadline = Date.now() + REFRESH_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const { generatedAt } = await get('/clusters');
      if (generatedAt && generatedAt !== before) return;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(
      `The ingress-atlas refresh did not finish within ${REFRESH_TIMEOUT_MS} ms`,
    );
  };
  return { get, refresh };
}

function merge(base: JsonObject, override: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const known = merged[key];
    merged[key] =
      isObject(known) && isObject(value) ? merge(known, value) : value;
  }
  return merged;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
