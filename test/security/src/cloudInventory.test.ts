import { ALICE, PAT, Portal, startPortal } from './portal';

/**
 * The rule (README, "Security"): what is attached to an exposure a user can read is readable
 * with `ingress-atlas.read`; the account's idle and orphaned load balancers and EIPs need
 * `ingress-atlas.cloud-inventory.read`. The sandbox's account has one idle CLB (lb-idle0001,
 * 198.51.100.99) and one unbound EIP (eip-idle0001, 192.0.2.77 — see examples/sandbox/cloud);
 * lb-blog0001 is in front of blog.example.com.
 */
const ACCOUNT_ONLY = ['lb-idle0001', 'eip-idle0001', '198.51.100.99'];

describe('the cloud inventory through every door', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
    const refresh = await portal.fetchAs(PAT, '/api/ingress-atlas/refresh', {
      method: 'POST',
    });
    expect(refresh.status).toBe(202);
    await portal.eventually(async () => {
      const res = await portal.fetchAs(PAT, '/api/ingress-atlas/clusters');
      return Boolean((await res.json()).generatedAt);
    }, 'the atlas has refreshed');
    // The catalog provider publishes the atlas's Resources; the catalog processes them.
    await portal.runTasks(/IngressAtlasEntityProvider/);
    await portal.eventually(async () => {
      const res = await portal.fetchAs(
        PAT,
        '/api/catalog/entities/by-name/resource/default/lb-idle0001',
      );
      return res.status === 200;
    }, 'the catalog holds lb-idle0001');
    await portal.runTasks(/^search_index/);
  }, 180_000);

  afterAll(() => portal?.stop());

  const text = async (user: string, apiPath: string) => {
    const response = await portal.fetchAs(user, apiPath);
    expect(response.status).toBe(200);
    return response.text();
  };

  it.each(['/exposures', '/findings', '/cost', '/topology'])(
    'GET %s shows the account inventory to the platform team only',
    async route => {
      const forPat = await text(PAT, `/api/ingress-atlas${route}`);
      const forAlice = await text(ALICE, `/api/ingress-atlas${route}`);
      // What is in front of blog.example.com stays readable to both.
      const blogEntry = {
        '/exposures': 'lb-blog0001',
        '/cost': 'lb-blog0001',
        '/topology': '198.51.100.11',
      }[route];
      if (blogEntry) {
        expect(forAlice.includes(blogEntry)).toBe(true);
      }
      expect(ACCOUNT_ONLY.filter(id => forAlice.includes(id))).toEqual([]);
      // The rule hides something real: the platform team sees the idle resources there.
      if (route === '/findings' || route === '/cost') {
        expect(forPat.includes('lb-idle0001')).toBe(true);
      }
    },
  );

  it('publishes idle resources to the catalog, readable by the platform team only', async () => {
    const entity = (user: string) =>
      portal.fetchAs(
        user,
        '/api/catalog/entities/by-name/resource/default/lb-idle0001',
      );
    await portal.eventually(
      async () => (await entity(PAT)).status === 200,
      'the catalog holds lb-idle0001',
    );
    expect((await entity(ALICE)).status).toBe(404);
    const attached = await portal.fetchAs(
      ALICE,
      '/api/catalog/entities/by-name/resource/default/lb-blog0001',
    );
    expect(attached.status).toBe(200);
  }, 120_000);

  it('keeps idle resources out of search results for users outside the platform team', async () => {
    const search = async (user: string, term: string) => {
      const response = await portal.fetchAs(
        user,
        `/api/search/query?term=${encodeURIComponent(term)}`,
      );
      return JSON.stringify(await response.json());
    };
    expect((await search(PAT, 'lb-idle0001')).includes('lb-idle0001')).toBe(
      true,
    );
    const forAlice = await search(ALICE, 'lb-idle0001');
    expect(forAlice).toMatch(/^\{"results"/);
    expect(ACCOUNT_ONLY.filter(id => forAlice.includes(id))).toEqual([]);
    expect((await search(ALICE, 'lb-blog0001')).includes('lb-blog0001')).toBe(
      true,
    );
  }, 120_000);
});
