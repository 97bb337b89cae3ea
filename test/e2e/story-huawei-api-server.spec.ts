import { test, expect, Page } from '@playwright/test';
import {
  BACKEND,
  REFRESHED_WITHIN,
  finishedTask,
  guestToken,
  kubeGet,
  signInAsGuest,
  storyShot,
} from './helpers';

/*
 * Story: huawei-cce's API server is reached from other VPCs through an nginx stream proxy
 * behind an ELB, but that ELB was created with an EIP, so the API server is on the internet
 * too. From the atlas's finding, a platform engineer runs the API-server proxy template: a
 * proxy of its own behind a shared ELB on the VPC only, which other VPCs reach through a VPC
 * endpoint service. The atlas then shows the new entry, private, reaching the API server.
 *
 * Like every story it changes the sandbox the portal reads: playwright.config.ts runs
 * story-*.spec.ts after all the others (run alone, add --no-deps), on a portal started for the
 * run (scripts/e2e.sh).
 */

test.setTimeout(REFRESHED_WITHIN + 240_000);

const TEMPLATE = "Reach a cluster's API server from another VPC";
// huawei-cce's API server, as estates.yaml places it.
const CLUSTER_API = 'http://127.0.0.1:6446';
// The proxy's ELB in the seed: an EIP of its own (elb.autocreate type public).
const PUBLIC_ADDRESS = '192.0.2.50';
const FINDING =
  /The API server of huawei-cce is reachable from the internet at 192\.0\.2\.50/;
// huawei-cce's subnet (estates.yaml): a shared ELB on the VPC only takes its address there.
const CLUSTER_SUBNET = /^192\.168\.0\.\d+$/;
const PROXY = '/namespaces/kube-api-proxy';

const shot = storyShot('story-huawei-api-server');

const findingRow = (page: Page) =>
  page.getByRole('row').filter({ hasText: FINDING });

test('a guest puts the API server of huawei-cce behind an internal ELB from its finding, and the atlas shows the private entry', async ({
  page,
}) => {
  // 1. The finding, on the Atlas page: the API server is reachable from the internet through
  // the proxy's public ELB.
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await expect(findingRow(page)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [3_000] });
  await expect(findingRow(page)).toContainText(
    'through api-proxy/apiserver-proxy',
  );
  await shot(page, '1-finding');

  // 2. The preview: a dry run on huawei-cce. The proxy's Service asks CCE for a shared ELB
  // created with it on the VPC only (CCE's documented annotations), and nginx keeps idle
  // streams (watches, exec) open for a day.
  await findingRow(page).getByRole('button', { name: TEMPLATE }).click();
  const dialog = page.getByRole('dialog', { name: `Preview: ${TEMPLATE}` });
  await expect(dialog).toContainText('huawei-cce');
  await expect(dialog.getByRole('list', { name: 'Steps' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(dialog).toContainText('kubernetes.io/elb.class: union');
  await expect(dialog).toContainText(
    'kubernetes.io/elb.autocreate: \'{"type":"inner","name":"huawei-cce-kube-api-proxy"}\'',
  );
  await expect(dialog).toContainText('proxy_timeout 24h;');
  await expect(dialog).not.toContainText('"type":"public"');
  await expect(dialog).toContainText('at a price the catalogue does not have.');
  await shot(page, '2-preview');

  // 3. The template, prefilled with the cluster; the public load balancer stays off.
  await dialog.getByRole('link', { name: 'Open template' }).click();
  await expect(page.getByLabel('Cluster')).toHaveValue('huawei-cce');
  await shot(page, '3-template');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel(/^A public load balancer/)).not.toBeChecked();
  await expect(
    page.getByLabel(/^Yes, a public load balancer, knowingly/),
  ).not.toBeChecked();
  await page.getByRole('button', { name: 'Review' }).click();
  await shot(page, '4-review');

  // 4. The task. The price catalogue has no figure for a Huawei ELB: the summary says so
  // rather than a cost of 0.
  await page.getByRole('button', { name: 'Create' }).click();
  const { status, log } = await finishedTask(page, 120_000);
  expect(status).toBe('completed');
  await expect(
    page.getByText(/at a price the catalogue does not have\./),
  ).toBeVisible();
  // The endpoint other VPCs reach it through: 0.10 CNY/h, 72 CNY over a 30-day month.
  expect(log).toContain(
    'each VPC endpoint reaching it adds about 72 CNY/month',
  );
  await shot(page, '5-task-succeeded');

  // 5. The cluster: the proxy runs Ready, forwards to the API server with a long idle timeout,
  // and its Service has the private address CCE's ELB controller gave it.
  const deployment = `/apis/apps/v1${PROXY}/deployments/kube-api-proxy`;
  await expect
    .poll(
      async () => {
        const { spec, status: s } = await kubeGet(CLUSTER_API, deployment);
        return s?.readyReplicas === spec.replicas;
      },
      { message: 'the proxy Ready', timeout: 60_000 },
    )
    .toBe(true);
  const conf = (
    await kubeGet(CLUSTER_API, `/api/v1${PROXY}/configmaps/kube-api-proxy`)
  ).data['nginx.conf'];
  expect(conf).toContain(
    'proxy_pass kubernetes.default.svc.cluster.local:443;',
  );
  expect(conf).toContain('proxy_timeout 24h;');
  const service = await kubeGet(
    CLUSTER_API,
    `/api/v1${PROXY}/services/kube-api-proxy`,
  );
  expect(service.spec.type).toBe('LoadBalancer');
  expect(service.metadata.annotations['kubernetes.io/elb.class']).toBe('union');
  expect(
    JSON.parse(service.metadata.annotations['kubernetes.io/elb.autocreate']),
  ).toEqual({ type: 'inner', name: 'huawei-cce-kube-api-proxy' });
  const [{ ip: privateAddress }] = service.status.loadBalancer.ingress;
  expect(privateAddress).toMatch(CLUSTER_SUBNET);

  // 6. The atlas (the cluster's watch brings the change within seconds): an internal entry at
  // that address reaches the API server, and no finding names it.
  const headers = { Authorization: `Bearer ${await guestToken(page.request)}` };
  const atlas = async (path: string) =>
    (
      await page.request.get(`${BACKEND}/api/ingress-atlas${path}`, { headers })
    ).json();
  await expect
    .poll(
      async () => {
        const { entries, paths } = await atlas('/exposures');
        const entry = (
          entries as Array<{ id: string; addresses: string[]; network: string }>
        ).find(e => e.addresses.includes(privateAddress));
        return {
          network: entry?.network,
          reachesApiServer: (
            paths as Array<{ entry: string; apiServer?: boolean }>
          ).some(p => p.entry === entry?.id && p.apiServer),
        };
      },
      { message: 'the new entry in the atlas', timeout: 120_000 },
    )
    .toEqual({ network: 'internal', reachesApiServer: true });
  const { findings } = await atlas('/findings');
  const apiServerFindings = (
    findings as Array<{ code: string; message: string }>
  ).filter(f => f.code === 'APISERVER_PUBLIC');
  // The old proxy stays public until its consumers move to the new ELB and it is removed.
  expect(apiServerFindings.map(f => f.message)).toEqual([
    expect.stringContaining(PUBLIC_ADDRESS),
  ]);
  expect(JSON.stringify(apiServerFindings)).not.toContain(privateAddress);

  await page.goto('/ingress-atlas/topology');
  await page
    .getByRole('combobox', { name: /Find a node/ })
    .fill(privateAddress);
  await page.getByRole('option').filter({ hasText: privateAddress }).click();
  const details = page.getByLabel('Selected node');
  await expect(details).toContainText('Cluster: huawei-cce');
  await expect(details).toContainText('Detail: internal');
  await shot(page, '6-atlas-internal-entry');
});
