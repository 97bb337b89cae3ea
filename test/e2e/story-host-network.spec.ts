import { test, expect, Locator, Page } from '@playwright/test';
import {
  REFRESHED_WITHIN,
  finishedTask,
  kubeGet,
  signInAsGuest,
  storyShot,
} from './helpers';

/*
 * Story: a platform engineer fixes the edge cluster's hand-made host-network gateway, which
 * resolves names with the node's resolver (no dnsPolicy ClusterFirstWithHostNet) and so cannot
 * find istiod, from the atlas's finding to the finding gone.
 *
 * Like every story it changes the sandbox the portal reads: playwright.config.ts runs
 * story-*.spec.ts after all the others (run alone, add --no-deps), on a portal started for the
 * run (scripts/e2e.sh).
 */

test.setTimeout(REFRESHED_WITHIN + 240_000);

const TEMPLATE = 'Run an ingress gateway on the host network';
// The edge cluster's API server, as estates.yaml places it.
const CLUSTER_API = 'http://127.0.0.1:6444';
const FINDING = /legacy-gateway in edge runs on the host network/;

const shot = storyShot('story-host-network');
const DEPLOYMENT =
  '/apis/apps/v1/namespaces/istio-system/deployments/legacy-gateway';

const findingRow = (page: Page) =>
  page.getByRole('row').filter({ hasText: FINDING });

/** Waits until every replica of the Deployment at `path` of the edge cluster is Ready. */
async function expectReady(path: string, replicas: number) {
  await expect
    .poll(
      async () => (await kubeGet(CLUSTER_API, path)).status?.readyReplicas,
      {
        timeout: 60_000,
      },
    )
    .toBe(replicas);
}

/** Waits until the Findings tab lists no row like `row` (the cluster's watch brings it). */
async function expectFindingGone(page: Page, row: Locator) {
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await expect(page.getByRole('grid', { name: 'All findings' })).toBeVisible({
      timeout: 5_000,
    });
    await expect(row).toHaveCount(0);
  }).toPass({ timeout: 60_000, intervals: [3_000] });
}

test('a guest fixes the legacy host-network gateway from its finding, and the atlas drops the finding', async ({
  page,
}) => {
  // 1. The finding, on the Atlas page: the gateway cannot resolve istiod's name.
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await expect(findingRow(page)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [3_000] });
  // The API server filled in the default policy, ClusterFirst, which uses the node's resolver
  // on the host network.
  await expect(findingRow(page)).toContainText('with dnsPolicy ClusterFirst:');
  await shot(page, '1-finding');

  // 2. The preview: a dry run of the template with the gateway's own node selector.
  await findingRow(page).getByRole('button', { name: TEMPLATE }).click();
  const dialog = page.getByRole('dialog', { name: `Preview: ${TEMPLATE}` });
  await expect(dialog).toContainText('kubernetes.io/hostname=10.1.0.31');
  await expect(dialog.getByRole('list', { name: 'Steps' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(dialog).toContainText(
    '+      dnsPolicy: ClusterFirstWithHostNet',
  );
  await shot(page, '2-preview');

  // 3. The template, prefilled: the cluster, the Deployment and the node it is pinned to.
  await dialog.getByRole('link', { name: 'Open template' }).click();
  await expect(page.getByLabel('Cluster')).toHaveValue('edge');
  await expect(page.getByLabel('Gateway Deployment')).toHaveValue(
    'legacy-gateway',
  );
  await expect(
    page.getByLabel('kubernetes.io/hostname', { exact: true }),
  ).toHaveValue('10.1.0.31');
  await shot(page, '3-template');
  await page.getByRole('button', { name: 'Review' }).click();
  await shot(page, '4-review');

  // 4. The task, until its step has run; the scaffolder's record says completed.
  await page.getByRole('button', { name: 'Create' }).click();
  const { status } = await finishedTask(page, 120_000);
  expect(status).toBe('completed');
  await expect(
    page.getByText(/The gateway runs on nodes 10\.1\.0\.31\./),
  ).toBeVisible();
  // 10.1.0.31 is a node of the VPC only: the summary says so rather than naming no address.
  await expect(page.getByText(/None of them has a public IP/)).toBeVisible();
  await shot(page, '5-task-succeeded');

  // 5. The cluster: the Deployment resolves cluster names, on the same node, and is Ready.
  const deployment = await kubeGet(CLUSTER_API, DEPLOYMENT);
  const podSpec = deployment.spec.template.spec;
  expect(podSpec.hostNetwork).toBe(true);
  expect(podSpec.dnsPolicy).toBe('ClusterFirstWithHostNet');
  expect(podSpec.nodeSelector).toEqual({
    'kubernetes.io/hostname': '10.1.0.31',
  });
  await expectReady(DEPLOYMENT, deployment.spec.replicas);

  // 6. The atlas: the finding is gone (the cluster's watch brings the change within seconds).
  await expectFindingGone(page, findingRow(page));
  await shot(page, '6-finding-gone');
});

const FRONT_PROXY_FINDING =
  /Container envoy of Deployment front-proxy\/front-envoy in edge listens on the host network's ports 80, 443/;
const FRONT_PROXY =
  '/apis/apps/v1/namespaces/front-proxy/deployments/front-envoy';

/*
 * The front-proxy half: the edge cluster's hand-made Envoy front proxy runs envoyproxy/envoy on
 * the host network of the front-proxy nodes, listening on 80 and 443, without ENVOY_UID=0. The
 * image's entrypoint then switches to uid 101, which may not bind ports below 1024 on the
 * node's network: the proxy cannot start. Fixed in place, its keepalived sidecar kept.
 */
test("a guest lets the hand-made Envoy front proxy bind the nodes' 80 and 443, from its finding", async ({
  page,
}) => {
  const row = () =>
    page.getByRole('row').filter({ hasText: FRONT_PROXY_FINDING });
  const frontShot = storyShot('story-front-proxy');

  // 1. The finding says why the proxy cannot start.
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await expect(row()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [3_000] });
  await expect(row()).toContainText(
    'switches to the envoy user (uid 101) unless ENVOY_UID is 0',
  );
  await frontShot(page, '1-finding');

  // 2. The preview: a dry run that sets ENVOY_UID=0 and adds NET_BIND_SERVICE, on the
  // front-proxy nodes the Deployment already runs on.
  await row().getByRole('button', { name: TEMPLATE }).click();
  const dialog = page.getByRole('dialog', { name: `Preview: ${TEMPLATE}` });
  await expect(dialog).toContainText('node-role.kubernetes.io/front-proxy');
  await expect(dialog.getByRole('list', { name: 'Steps' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(dialog).toContainText('ENVOY_UID');
  await expect(dialog).toContainText('NET_BIND_SERVICE');
  await frontShot(page, '2-preview');

  // 3. The template, prefilled with the Deployment and its nodes.
  await dialog.getByRole('link', { name: 'Open template' }).click();
  await expect(page.getByLabel('Cluster')).toHaveValue('edge');
  await expect(page.getByLabel('Gateway Deployment')).toHaveValue(
    'front-envoy',
  );
  await frontShot(page, '3-template');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const { status } = await finishedTask(page, 120_000);
  expect(status).toBe('completed');
  await expect(
    page.getByText(/The gateway runs on nodes 10\.1\.0\.21, 10\.1\.0\.22\./),
  ).toBeVisible();
  await frontShot(page, '4-task-succeeded');

  // 4. The cluster: Envoy keeps root with only NET_BIND_SERVICE, keepalived is still there,
  // and the pods are Ready.
  const deployment = await kubeGet(CLUSTER_API, FRONT_PROXY);
  const containers = deployment.spec.template.spec.containers;
  expect(containers.map((c: { name: string }) => c.name)).toEqual([
    'envoy',
    'keepalived',
  ]);
  expect(containers[0].env).toContainEqual({ name: 'ENVOY_UID', value: '0' });
  expect(containers[0].securityContext).toMatchObject({
    runAsUser: 0,
    capabilities: { add: ['NET_BIND_SERVICE'] },
  });
  await expectReady(FRONT_PROXY, deployment.spec.replicas);

  // 5. The atlas drops the finding.
  await expectFindingGone(page, row());
  await frontShot(page, '5-finding-gone');
});
