import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { IngressAtlasClient } from './IngressAtlasApi';
import { blogExposure, meshTopology } from '../__testUtils__/fixtures';

const BASE = 'http://backstage.test/api/ingress-atlas';

describe('IngressAtlasClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new IngressAtlasClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });

  it("reads an entity's exposure with the user's token", async () => {
    let authorization: string | null = null;
    server.use(
      http.get(
        `${BASE}/entities/component/default/blog/exposure`,
        ({ request }) => {
          authorization = request.headers.get('authorization');
          return HttpResponse.json(blogExposure);
        },
      ),
    );

    const exposure = await client.getEntityExposure({
      kind: 'Component',
      namespace: 'default',
      name: 'blog',
    });

    expect(exposure.paths[0].host).toBe('blog.example.com');
    expect(authorization).toBe('Bearer user-token');
  });

  it('passes topology filters as query parameters, and leaves out empty ones', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/topology`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json(meshTopology);
      }),
    );

    await client.getTopology({ cluster: 'tke-blog', namespace: 'blog' });
    await client.getTopology({ cluster: '' });

    expect(queries).toEqual(['?cluster=tke-blog&namespace=blog', '']);
  });

  it('asks for the days of cost history it is given, or all that is kept', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/cost/history`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({
          unit: 'CNY/month',
          from: '2026-12-06',
          to: '2026-12-12',
          days: [],
        });
      }),
    );

    await client.getCostHistory({ days: 7 });
    const history = await client.getCostHistory();

    expect(queries).toEqual(['?days=7', '']);
    expect(history.unit).toBe('CNY/month');
  });

  it("throws the backend's error, by name and message", async () => {
    server.use(
      http.get(`${BASE}/cost`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Access denied to ingress-atlas.read',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );

    const error = await client.getCost().catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe('Access denied to ingress-atlas.read');
  });

  it('schedules a refresh with a POST', async () => {
    const methods: string[] = [];
    server.use(
      http.post(`${BASE}/refresh`, ({ request }) => {
        methods.push(request.method);
        return HttpResponse.json({ status: 'scheduled' }, { status: 202 });
      }),
    );

    await expect(client.refresh()).resolves.toBeUndefined();
    expect(methods).toEqual(['POST']);
  });
});
