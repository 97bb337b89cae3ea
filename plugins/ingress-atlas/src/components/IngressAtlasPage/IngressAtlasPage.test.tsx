import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { mockApis } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ingressAtlasRefreshPermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import { IngressAtlasPage } from './IngressAtlasPage';
import { templateLinkFromPreview } from '../../__testUtils__/openTemplatePreview';
import { FindingsOverview } from './FindingsOverview';
import {
  blogEntity,
  blogExposure,
  clustersResponse,
  migrateTcmTemplate,
  staleEdge,
  tcmFinding,
  tkeBlog,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';

const API = '*/api/ingress-atlas';

// Renders the whole page with its tabs, which takes seconds on a busy machine.
jest.setTimeout(30_000);

describe('IngressAtlasPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const givenClusters = () =>
    server.use(
      http.get(`${API}/clusters`, () => HttpResponse.json(clustersResponse)),
    );
  /** The permission policy's answers: every permission but refresh is allowed. */
  const permissionApi = (refresh: boolean) =>
    mockApis.permission({
      authorize: ({ permission }) =>
        permission.name !== ingressAtlasRefreshPermission.name || refresh
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });

  it("shows every cluster's freshness, and one cluster's error without hiding the others", async () => {
    givenClusters();

    await renderWithPlugin(<IngressAtlasPage />);

    const row = async (name: string) =>
      within(
        await screen.findByRole('row', { name: new RegExp(`^${name}\\b`) }),
      );
    expect((await row('tke-blog')).getByText('Up to date')).toBeInTheDocument();
    expect(
      (await row('tke-saas-primary')).getByText('Up to date'),
    ).toBeInTheDocument();

    const edge = await row('edge');
    expect(edge.getByText('Stale')).toBeInTheDocument();
    expect(
      edge.getByText(/^2026-11-20 \d\d:\d\d \(\d+ days? ago\)$/),
    ).toBeInTheDocument();
    expect(
      edge.getByText('connect ECONNREFUSED 127.0.0.1:6444'),
    ).toBeInTheDocument();

    const huawei = await row('huawei-cce');
    expect(huawei.getByText('Unavailable')).toBeInTheDocument();
    expect(
      huawei.getByText(
        'Unauthorized: the service account token was rejected (401)',
      ),
    ).toBeInTheDocument();

    expect(
      screen.getByText('Stale data from cluster edge'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Cluster huawei-cce could not be read'),
    ).toBeInTheDocument();
    for (const tab of ['Clusters', 'Topology', 'Cost', 'Findings']) {
      expect(screen.getByRole('tab', { name: tab })).toBeInTheDocument();
    }
  });

  it("does not count another cloud's or an uninstalled add-on's kinds as problems", async () => {
    const notServed = (plural: string) =>
      `${plural} is not served by this cluster (CRD not installed?)`;
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json({
          ...clustersResponse,
          clusters: [
            {
              ...tkeBlog,
              name: 'huawei-cce',
              provider: 'huawei',
              unavailableKinds: [
                {
                  kind: 'eipClaims',
                  reason: notServed(
                    'eipclaims.networking.tke.cloud.tencent.com',
                  ),
                },
                {
                  kind: 'tlsRoutes',
                  reason: notServed('tlsroutes.gateway.networking.k8s.io'),
                },
                {
                  kind: 'virtualServices',
                  reason:
                    'forbidden (403): the token may not list virtualservices',
                },
              ],
            },
          ],
        }),
      ),
    );

    await renderWithPlugin(<IngressAtlasPage />);

    const huawei = await screen.findByRole('row', { name: /^huawei-cce\b/ });
    expect(huawei).not.toHaveTextContent(/EIPClaim|eipclaims|tencent/i);
    expect(
      within(huawei).getByText('Not installed: TLSRoute'),
    ).toBeInTheDocument();
    expect(
      within(huawei).getByText(
        'VirtualService could not be read: forbidden (403): the token may not list virtualservices',
      ),
    ).toBeInTheDocument();
  });

  it('groups several stale clusters into one warning that names each', async () => {
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json({
          ...clustersResponse,
          clusters: [
            tkeBlog,
            staleEdge,
            {
              ...staleEdge,
              name: 'aliyun-asm',
              error: 'connect ECONNREFUSED 127.0.0.1:6445',
            },
          ],
        }),
      ),
    );

    await renderWithPlugin(<IngressAtlasPage />);

    expect(
      await screen.findByText('Stale data from 2 clusters'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('cluster-problem-edge')).toHaveTextContent(
      /^edge: Showing the snapshot from 2026-11-20 .*connect ECONNREFUSED 127\.0\.0\.1:6444$/,
    );
    expect(screen.getByTestId('cluster-problem-aliyun-asm')).toHaveTextContent(
      /connect ECONNREFUSED 127\.0\.0\.1:6445$/,
    );
    expect(
      await screen.findByRole('row', { name: /^tke-blog\b/ }),
    ).toHaveTextContent('Up to date');
  });

  it('says which cluster could not be analysed, and still lists the others', async () => {
    const analysisError =
      "The atlas could not analyse this cluster's objects, so nothing from it is shown; an object it does not understand is the likely cause (internal error: number 5 is not iterable).";
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json({
          ...clustersResponse,
          clusters: [
            tkeBlog,
            { ...tkeBlog, name: 'edge', status: 'error', analysisError },
          ],
        }),
      ),
    );

    await renderWithPlugin(<IngressAtlasPage />);

    const edge = within(await screen.findByRole('row', { name: /^edge\b/ }));
    expect(edge.getByText('Analysis failed')).toBeInTheDocument();
    expect(edge.getByText(analysisError)).toBeInTheDocument();
    expect(
      screen.getByText('Cluster edge could not be analysed'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('cluster-problem-edge')).toHaveTextContent(
      analysisError,
    );
    expect(
      await screen.findByRole('row', { name: /^tke-blog\b/ }),
    ).toHaveTextContent('Up to date');
  });

  it('offers a refresh only to users allowed to refresh', async () => {
    givenClusters();

    await renderWithPlugin(<IngressAtlasPage />, {
      apis: [permissionApi(false)],
    });

    expect(
      await screen.findByRole('row', { name: /^tke-blog\b/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Refresh now' }),
    ).not.toBeInTheDocument();
  });

  it('schedules a refresh and says so', async () => {
    givenClusters();
    let refreshed = 0;
    server.use(
      http.post(`${API}/refresh`, () => {
        refreshed += 1;
        return HttpResponse.json({ status: 'scheduled' }, { status: 202 });
      }),
    );

    const alertApi = mockApis.alert();
    await renderWithPlugin(<IngressAtlasPage />, {
      apis: [alertApi, permissionApi(true)],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh now' }),
    );

    await waitFor(() => expect(refreshed).toBe(1));
    const alert = await alertApi.waitForAlert(a => a.severity === 'success');
    expect(alert.message).toMatch(/^Refresh scheduled/);
  });

  it('says where clusters are configured when there are none', async () => {
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json({ clusters: [], sourceErrors: [] }),
      ),
    );

    await renderWithPlugin(<IngressAtlasPage />);

    expect(
      await screen.findByText('No clusters configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/ingressAtlas\.clusters in app-config\.yaml/),
    ).toBeInTheDocument();
  });

  it('lists findings with counts per severity, groups, template titles and docs links', async () => {
    const idle: Finding = {
      id: 'IDLE_LOAD_BALANCER:lb-idle0001',
      code: 'IDLE_LOAD_BALANCER',
      severity: 'warning',
      message: 'CLB lb-idle0001 serves nothing and bills 60 CNY/month',
      objects: [{ kind: 'LoadBalancer', name: 'lb-idle0001' }],
      fix: 'Delete it',
      monthlyWasteCny: 60,
    };
    const publicApi: Finding = {
      ...tcmFinding,
      id: 'APISERVER_PUBLIC:x',
      code: 'APISERVER_PUBLIC',
      severity: 'error',
      message: 'The API server of tke-blog is reachable from the internet',
      templateRef: undefined,
    };
    server.use(
      http.get(`${API}/findings`, () =>
        HttpResponse.json({ findings: [tcmFinding, idle, publicApi] }),
      ),
    );
    const catalogApi = catalogApiMock({ entities: [migrateTcmTemplate] });
    const docs = 'https://docs.example.com/ingress-atlas/findings.md';

    await renderWithPlugin(<FindingsOverview />, {
      apis: [[catalogApiRef, catalogApi]],
      config: {
        backend: { baseUrl: 'http://localhost:7007' },
        ingressAtlas: { findingsDocsUrl: docs },
      },
    });

    const severities = await screen.findByRole('grid', {
      name: 'Show severities',
    });
    expect(
      within(severities)
        .getAllByRole('row')
        .map(chip => chip.textContent),
    ).toEqual(['1 error', '2 warnings']);

    const tcmRow = screen.getByRole('row', { name: /Istio run by Tencent/ });
    expect(within(tcmRow).getByText(tcmFinding.message)).toBeInTheDocument();
    expect(
      within(tcmRow).getByText(`Fix: ${tcmFinding.fix}`),
    ).toBeInTheDocument();
    expect(within(tcmRow).getByText('Warning')).toBeInTheDocument();
    expect(
      await templateLinkFromPreview(
        tcmRow,
        'Migrate from TCM to self-managed Istio',
      ),
    ).toHaveAttribute('href', expect.stringMatching(/migrate-tcm-to-istiod/));
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      within(tcmRow).getByRole('link', {
        name: /^Istio run by Tencent's managed mesh \(TCM\)/,
      }),
    ).toHaveAttribute('href', `${docs}#tcm_managed`);

    await userEvent.click(
      within(severities).getByRole('row', { name: '2 warnings' }),
    );
    expect(screen.queryByText(idle.message)).not.toBeInTheDocument();
    expect(screen.getByText(publicApi.message)).toBeInTheDocument();
    await userEvent.click(
      within(severities).getByRole('row', { name: '2 warnings' }),
    );

    await userEvent.click(screen.getByRole('button', { name: /Group by/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Cluster' }));
    // A heading per group over a table of its own findings.
    const groups = screen
      .getAllByRole('heading', { level: 3 })
      .map(heading => heading.textContent);
    expect(groups).toEqual(['tke-blog (2)', 'Cloud account (1)']);
    expect(
      within(screen.getByRole('grid', { name: 'tke-blog' })).getAllByRole(
        'row',
      ),
    ).toHaveLength(3);

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter findings' }),
      'lb-idle0001',
    );
    expect(screen.getByText(idle.message)).toBeInTheDocument();
    expect(screen.queryByText(publicApi.message)).not.toBeInTheDocument();
    expect(screen.queryByText(tcmFinding.message)).not.toBeInTheDocument();
    // Menus and clicks through Material UI take seconds on a busy machine.
  }, 30_000);

  it("links each finding's objects to their catalog Resource, else to their topology node, and its code to the code's page", async () => {
    const idle: Finding = {
      id: 'IDLE_LOAD_BALANCER:cost:lb-idle0001',
      code: 'IDLE_LOAD_BALANCER',
      severity: 'warning',
      message: 'Load balancer lb-idle0001 has no listeners',
      objects: [
        { kind: 'LoadBalancer', name: 'lb-idle0001', id: 'cost:lb-idle0001' },
      ],
      fix: 'Delete it',
      monthlyWasteCny: 144,
    };
    const gatewayId = 'gateway:tke-blog/istio-system/istio-ingressgateway';
    const singleReplica: Finding = {
      id: `SINGLE_REPLICA_PUBLIC_LB:${gatewayId}`,
      code: 'SINGLE_REPLICA_PUBLIC_LB',
      severity: 'warning',
      message: 'One replica behind a public load balancer',
      objects: [
        {
          kind: 'Deployment',
          name: 'istio-ingressgateway',
          namespace: 'istio-system',
          cluster: 'tke-blog',
          id: gatewayId,
        },
      ],
      fix: 'Run two replicas',
    };
    server.use(
      http.get(`${API}/findings`, () =>
        HttpResponse.json({ findings: [idle, singleReplica] }),
      ),
    );
    // The catalog holds the load balancer's Resource, not the gateway's.
    const catalogApi = catalogApiMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name: 'lb-idle0001', namespace: 'default' },
          spec: { type: 'load-balancer', owner: 'platform-team' },
        },
      ],
    });

    await renderWithPlugin(<FindingsOverview />, {
      apis: [[catalogApiRef, catalogApi]],
    });

    const idleRow = await screen.findByRole('row', { name: /serving nothing/ });
    expect(
      await within(idleRow).findByRole('link', {
        name: 'LoadBalancer lb-idle0001',
      }),
    ).toHaveAttribute('href', '/catalog/default/resource/lb-idle0001');
    expect(
      within(idleRow).getByRole('link', {
        name: 'Load balancer serving nothing',
      }),
    ).toHaveAttribute('href', '/ingress-atlas/findings/IDLE_LOAD_BALANCER');
    const gatewayRow = screen.getByRole('row', { name: /One replica/ });
    expect(
      within(gatewayRow).getByRole('link', {
        name: 'Deployment istio-system/istio-ingressgateway in tke-blog',
      }),
    ).toHaveAttribute(
      'href',
      `/ingress-atlas/topology?cluster=tke-blog&node=${encodeURIComponent(
        gatewayId,
      )}`,
    );
  }, 30_000);

  it("explains a finding code on its page, with the code's findings", async () => {
    const idle: Finding = {
      id: 'IDLE_EIP:cost:eip-idle0001',
      code: 'IDLE_EIP',
      severity: 'warning',
      message: 'EIP eip-idle0001 is bound to nothing',
      objects: [
        { kind: 'Address', name: 'eip-idle0001', id: 'cost:eip-idle0001' },
      ],
      fix: 'Release it',
    };
    server.use(
      http.get(`${API}/findings`, () =>
        HttpResponse.json({ findings: [tcmFinding, idle] }),
      ),
    );

    await renderWithPlugin(<FindingsOverview />, {
      path: '/IDLE_EIP',
      apis: [[catalogApiRef, catalogApiMock()]],
    });

    expect(
      await screen.findByRole('heading', {
        name: 'IDLE_EIP: Elastic IP bound to nothing',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/An EIP bound to no resource is billed/),
    ).toBeInTheDocument();
    expect(screen.getByText('ReleaseAddresses').tagName).toBe('CODE');
    expect(screen.getByText(idle.message)).toBeInTheDocument();
    expect(screen.queryByText(tcmFinding.message)).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All findings' })).toHaveAttribute(
      'href',
      '/ingress-atlas/findings',
    );
  }, 30_000);

  it('groups findings by the owners of the entities they concern', async () => {
    const unowned: Finding = {
      ...tcmFinding,
      id: 'IDLE_EIP:eip-idle0001',
      code: 'IDLE_EIP',
      message: 'EIP eip-idle0001 is bound to nothing',
      objects: [{ kind: 'EIP', name: 'eip-idle0001', id: 'cost:eip-idle0001' }],
      templateRef: undefined,
    };
    server.use(
      http.get(`${API}/findings`, () =>
        HttpResponse.json({ findings: [tcmFinding, unowned] }),
      ),
      // The model's one page of exposures, as the plugin reads them.
      http.get(`${API}/exposures`, ({ request }) =>
        new URL(request.url).searchParams.get('page') === '0'
          ? HttpResponse.json({
              generatedAt: blogExposure.generatedAt,
              paths: blogExposure.paths,
              entries: blogExposure.entries,
              gateways: blogExposure.gateways.map(g => ({
                ...g,
                controlPlane: tcmFinding.objects[0].id,
              })),
              routes: blogExposure.routes,
              costs: blogExposure.costs,
              page: 0,
              pages: 1,
            })
          : HttpResponse.json(
              { error: { message: 'no such page' } },
              { status: 404 },
            ),
      ),
    );
    const catalogApi = catalogApiMock({ entities: [blogEntity] });

    await renderWithPlugin(<FindingsOverview />, {
      apis: [[catalogApiRef, catalogApi]],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: /Group by/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Owner' }));

    await waitFor(() =>
      expect(
        screen
          .getAllByRole('heading', { level: 3 })
          .map(heading => heading.textContent),
      ).toEqual([`${blogEntity.spec!.owner} (1)`, 'No owning entity (1)']),
    );
  }, 30_000);
});
