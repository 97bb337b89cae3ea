import type { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AtlasModel,
  CostHistoryResponse,
  ingressAtlasReadPermission,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import request from 'supertest';
import { ingressAtlasPlugin } from '../plugin';
import { CostHistoryStore } from './CostHistoryStore';
import { costDayOf } from './costDay';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const PLATFORM = 'user:default/platform';
const READER = 'user:default/reader';
const OUTSIDER = 'user:default/outsider';

/** The bundled policy in small: the platform team reads everything, a reader the exposures. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) => {
    const principal = credentials.principal as BackstageUserPrincipal;
    const user = principal.type === 'user' ? principal.userEntityRef : '';
    return requests.map(({ permission }) => ({
      result:
        user === PLATFORM ||
        (user === READER && permission.name === ingressAtlasReadPermission.name)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  },
});

/** A model of `daysAgo` days ago: the blog's load balancer and an idle one, or no price for the blog's. */
function model(daysAgo: number, unpriced: boolean): AtlasModel {
  const generatedAt = new Date(Date.now() - daysAgo * 86_400_000);
  const blogEntry = 'entry:tke-blog/load-balancer/istio-system/ingressgateway';
  return {
    generatedAt: generatedAt.toISOString(),
    clusters: [],
    controlPlanes: [],
    gateways: [],
    entries: [
      {
        id: blogEntry,
        cluster: 'tke-blog',
        type: 'load-balancer',
        network: 'public',
        networkReason: 'the cloud inventory',
        addresses: [],
        provider: 'tencent',
        ports: [],
        resources: [],
        notes: [],
      },
    ],
    routes: [],
    paths: [],
    findings: [],
    costs: [
      {
        id: 'cost:blog',
        entry: blogEntry,
        provider: 'tencent',
        state: 'in-use',
        monthlyCny: unpriced ? 0 : 144,
        parts: [],
        unpriced: unpriced ? ['tencent loadBalancer (lb-blog0001)'] : [],
        traffic: 'unknown',
      },
      {
        id: 'cost:lb-idle0001',
        resource: 'lb-idle0001',
        provider: 'tencent',
        state: 'idle',
        monthlyCny: 72,
        parts: [],
        unpriced: [],
        traffic: 'unknown',
      },
    ],
    recommendations: [],
  };
}

describe('GET /cost/history', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    backend = await startTestBackend({
      features: [
        ingressAtlasPlugin,
        catalogServiceMock.factory({ entities: [] }),
        permissions.factory,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            ingressAtlas: {
              importKubernetesConfig: false,
              // No refresh during the test: the history is what the test seeds.
              refresh: {
                watch: false,
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          },
        }),
      ],
    });
    // Seeded as 100 days of refreshes would have written it; the blog had no price 3 days ago.
    const history = CostHistoryStore.create({ db: knex });
    for (let daysAgo = 99; daysAgo >= 0; daysAgo--) {
      await history.record(costDayOf(model(daysAgo, daysAgo === 3)));
    }
  });

  afterAll(() => backend?.stop());

  const get = (url: string, user: string) =>
    request(backend.server)
      .get(`/api/ingress-atlas${url}`)
      .set('Authorization', mockCredentials.user.header(user));

  it('answers the last 90 days in CNY/month, a day without a price marked rather than 0', async () => {
    const response = await get('/cost/history', PLATFORM);
    expect(response.status).toBe(200);
    const body: CostHistoryResponse = response.body;
    expect(body.unit).toBe('CNY/month');
    expect(body.days).toHaveLength(90);
    expect(body.days[0].date).toBe(body.from);
    expect(body.days.at(-1)?.date).toBe(body.to);
    expect(body.to).toBe(new Date().toISOString().slice(0, 10));
    expect(body.days.at(-1)?.total).toEqual({ amount: 216, unpriced: false });
    expect(body.days.at(-4)?.total).toEqual({ amount: 72, unpriced: true });
    expect(body.days.at(-4)?.byCluster['tke-blog']).toEqual({
      amount: 0,
      unpriced: true,
    });
  });

  it("leaves the account's idle resources out for a reader without cloud inventory permission", async () => {
    const response = await get('/cost/history?days=7', READER);
    expect(response.status).toBe(200);
    const body: CostHistoryResponse = response.body;
    expect(body.days).toHaveLength(7);
    expect(body.days.at(-1)?.total).toEqual({ amount: 144, unpriced: false });
    expect(body.days.at(-1)?.byCluster).not.toHaveProperty('unattached');
  });

  it('refuses a caller without ingress-atlas.read', async () => {
    const response = await get('/cost/history', OUTSIDER);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/ingress-atlas\.read/);
  });

  it.each(['0', '91', '1.5', 'week'])(
    'names the parameter when days=%s',
    async days => {
      const response = await get(`/cost/history?days=${days}`, PLATFORM);
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toMatch(
        /^Invalid cost history query: days /,
      );
    },
  );
});
