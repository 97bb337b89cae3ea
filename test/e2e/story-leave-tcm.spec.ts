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
 * Story: a platform engineer moves the blog's mesh off TCM. The atlas flags the TCM-managed
 * Istio of tke-blog; its template installs a self-managed istiod (with the east-west gateway on
 * an internal CLB, and no public ingress gateway) on tke-next, the new cluster made for the
 * move; a second template joins tke-next-remote to it as a remote on another network; the
 * atlas then shows the new primary, the remote linked to it, and the primary reading the
 * remote. Traffic moves later, host by host, with DNS (the pod-EIP story shows a cutover).
 *
 * Like every story it changes the sandbox the portal reads: playwright.config.ts runs
 * story-*.spec.ts after all the others (run alone, add --no-deps), on a portal started for the
 * run (scripts/e2e.sh).
 */

test.setTimeout(REFRESHED_WITHIN + 420_000);

const MIGRATE = 'Migrate from TCM to self-managed Istio';
const JOIN = 'Join a cluster to a self-managed mesh';
// The new clusters' API servers, as estates.yaml places them.
const PRIMARY_API = 'http://127.0.0.1:6447';
const REMOTE_API = 'http://127.0.0.1:6448';
// tke-saas-primary, an earlier self-managed primary: its plug-in CA stands in for the
// organisation's root.
const ORG_CA_API = 'http://127.0.0.1:6442';
const CACERTS = '/api/v1/namespaces/istio-system/secrets/cacerts';
const FINDING =
  /Istio 1\.10\.3 for tke-blog is run by TCM \(mesh mesh-blog0001\), which is being retired/;
// tke-next's nodes' subnet (cloud/tencent.yaml): the east-west CLB takes a VIP there.
const EAST_WEST_SUBNET = 'subnet-gz000012';

const shot = storyShot('story-leave-tcm');

const findingRow = (page: Page) =>
  page.getByRole('row').filter({ hasText: FINDING });

/** The status code of a GET on a sandbox cluster's API server. */
async function kubeStatus(clusterApi: string, path: string) {
  const response = await fetch(`${clusterApi}${path}`, {
    headers: { Authorization: 'Bearer sandbox-token' },
  });
  return response.status;
}

/** Waits until a Deployment of a sandbox cluster has every replica Ready. */
async function expectReady(clusterApi: string, path: string) {
  await expect
    .poll(
      async () => {
        const { spec, status } = await kubeGet(clusterApi, path);
        return status?.readyReplicas === spec.replicas;
      },
      { message: `${path} Ready`, timeout: 60_000 },
    )
    .toBe(true);
}

test('a guest moves the blog mesh off TCM: istiod installed on tke-next, tke-next-remote joined, and the atlas links them', async ({
  page,
}) => {
  // 1. The finding, on the Atlas page: TCM runs tke-blog's Istio and is being retired.
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await expect(findingRow(page)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [3_000] });
  await shot(page, '1-finding');

  // 2. The preview: the atlas cannot know which new cluster takes the control plane, so the
  // dialog names the field and runs nothing.
  await findingRow(page).getByRole('button', { name: MIGRATE }).click();
  const dialog = page.getByRole('dialog', { name: `Preview: ${MIGRATE}` });
  await expect(dialog).toContainText(
    'The template needs more than the atlas knows',
  );
  await expect(dialog).toContainText('Cluster for the new control plane');
  await expect(dialog.getByRole('list', { name: 'Steps' })).toHaveCount(0);
  await shot(page, '2-preview');

  // 3. The template, prefilled with what the finding knows about the TCM mesh.
  await dialog.getByRole('link', { name: 'Open template' }).click();
  await expect(page.getByLabel('TCM-managed cluster')).toHaveValue('tke-blog');
  await expect(page.getByLabel('Mesh id')).toHaveValue('mesh-blog0001');
  await expect(page.getByLabel('Current Istio version')).toHaveValue('1.10.3');
  // The new istiod's revision is not TCM's: it runs another version.
  await expect(page.getByLabel('Revision')).toHaveValue('');
  await shot(page, '3-template');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Cluster for the new control plane').fill('tke-next');
  await expect(page.getByLabel('Network name')).toHaveValue('net-primary');
  await page
    .getByLabel('Subnet for the east-west internal CLB')
    .fill(EAST_WEST_SUBNET);
  await page.getByLabel(/^Install on the cluster now/).check();
  await page.getByRole('button', { name: 'Next' }).click();
  // The organisation's root, so that the next move needs no new environment: istiod of
  // tke-next signs under it, not under a root of its own.
  await page
    .getByLabel("Cluster holding your organisation's CA")
    .fill('tke-saas-primary');
  await expect(page.getByLabel('Namespace of the CA Secret')).toHaveValue(
    'istio-system',
  );
  await expect(page.getByLabel('Name of the CA Secret')).toHaveValue('cacerts');
  await shot(page, '3-root-ca');
  await page.getByRole('button', { name: 'Next' }).click();
  // Installed now, and no repository keeps the files: the repository is no longer asked for.
  await page
    .getByLabel('Open a pull request with the IstioOperator files')
    .uncheck();
  await expect(page.getByLabel('Owner')).toHaveCount(0);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText('tke-next', { exact: true })).toBeVisible();
  await shot(page, '4-review');

  // 4. The task: the installer Job runs istioctl install, the step waits for Ready pods.
  await page.getByRole('button', { name: 'Create' }).click();
  const install = await finishedTask(page, 240_000);
  expect(install.status).toBe('completed');
  await expect(
    page.getByText(
      'istiod 1.18.5 and the east-west gateway run Ready on tke-next.',
    ),
  ).toBeVisible();
  await expect(
    page.getByText(
      /istiod signs with your organisation's root "O=cluster\.local" \(SHA-256 [0-9A-F:]+, valid until 2034-02-17\), copied from Secret istio-system\/cacerts on tke-saas-primary to istio-system\/cacerts on tke-next\./,
    ),
  ).toBeVisible();
  await shot(page, '5-install-succeeded');

  // 5. tke-next: istiod 1.18.5 and the east-west gateway Ready, the gateway on an internal CLB
  // of the chosen subnet, and no public ingress gateway (the CLB this move is meant to end).
  const istiod = '/apis/apps/v1/namespaces/istio-system/deployments/istiod';
  await expectReady(PRIMARY_API, istiod);
  const pilot = (await kubeGet(PRIMARY_API, istiod)).spec.template.spec
    .containers[0];
  expect(pilot.image).toMatch(/\/pilot:1\.18\.5$/);
  await expectReady(
    PRIMARY_API,
    '/apis/apps/v1/namespaces/istio-system/deployments/istio-eastwestgateway',
  );
  const eastWest = await kubeGet(
    PRIMARY_API,
    '/api/v1/namespaces/istio-system/services/istio-eastwestgateway',
  );
  expect(eastWest.spec.type).toBe('LoadBalancer');
  expect(
    eastWest.metadata.annotations[
      'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid'
    ],
  ).toBe(EAST_WEST_SUBNET);
  // subnet-gz000012 is 10.0.2.0/24.
  const [{ ip: eastWestIp }] = eastWest.status.loadBalancer.ingress;
  expect(eastWestIp).toMatch(/^10\.0\.2\.\d+$/);
  expect(
    await kubeStatus(
      PRIMARY_API,
      '/api/v1/namespaces/istio-system/services/istio-ingressgateway',
    ),
  ).toBe(404);

  // The plug-in CA on tke-next is the organisation's, key for key.
  const copied = await kubeGet(PRIMARY_API, CACERTS);
  const original = await kubeGet(ORG_CA_API, CACERTS);
  expect(copied.data).toEqual(original.data);

  // 6. The second template: tke-next-remote joins the new mesh as a remote.
  await page.goto('/create/templates/default/join-remote-cluster');
  await expect(page.getByText(JOIN).first()).toBeVisible();
  await page.getByLabel('Member cluster').fill('tke-next-remote');
  await page.getByLabel('Primary cluster (runs istiod)').fill('tke-next');
  await page.getByLabel('Mesh ID of the primary').fill('mesh-blog0001');
  await page.getByLabel("The member's network").fill('net-remote');
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByLabel(/^Install the remote profile on the member now/)
    .check();
  await page.getByRole('button', { name: 'Review' }).click();
  await shot(page, '6-join-review');
  await page.getByRole('button', { name: 'Create' }).click();
  const join = await finishedTask(page, 240_000);
  expect(join.status).toBe('completed');
  await expect(
    page.getByText('istioctl installed the remote profile on tke-next-remote.'),
  ).toBeVisible();
  // The member's pods reach istiod through the primary's east-west gateway.
  await expect(
    page.getByText(`the member reaches istiod at ${eastWestIp}`),
  ).toBeVisible();
  await shot(page, '7-join-succeeded');

  // 7. The clusters: the member's istio-system names its network and its control plane, it runs
  // no istiod of its own, and the primary holds the remote secret istiod reads it with.
  const namespace = await kubeGet(
    REMOTE_API,
    '/api/v1/namespaces/istio-system',
  );
  expect(namespace.metadata.labels['topology.istio.io/network']).toBe(
    'net-remote',
  );
  expect(
    await kubeStatus(
      REMOTE_API,
      '/apis/apps/v1/namespaces/istio-system/deployments/istiod',
    ),
  ).toBe(404);
  expect(
    await kubeStatus(
      REMOTE_API,
      '/api/v1/namespaces/istio-system/serviceaccounts/istio-reader-service-account',
    ),
  ).toBe(200);
  // Named, as istioctl create-remote-secret names it, after the member's cluster id in the mesh
  // (TKE's cls-next0002 from ingressAtlas.clusters).
  const remoteSecret = await kubeGet(
    PRIMARY_API,
    '/api/v1/namespaces/istio-system/secrets/istio-remote-secret-cls-next0002',
  );
  expect(remoteSecret.metadata.labels['istio/multiCluster']).toBe('true');

  // 8. The atlas: the member's control plane is a remote of tke-next's istiod, and that istiod
  // reads the member (the clusters' watches bring the changes within seconds).
  const headers = { Authorization: `Bearer ${await guestToken(page.request)}` };
  const topology = async () =>
    (
      await page.request.get(`${BACKEND}/api/ingress-atlas/topology`, {
        headers,
      })
    ).json();
  const primaryPlane = 'controlPlane:tke-next/default';
  const remotePlane = 'controlPlane:tke-next-remote/default';
  await expect
    .poll(
      async () =>
        (
          (
            await topology()
          ).edges as Array<{
            source: string;
            target: string;
            type: string;
          }>
        )
          .filter(e => [primaryPlane, remotePlane].includes(e.source))
          .filter(e => e.type === 'remote-of' || e.type === 'reads')
          .map(e => `${e.source} ${e.type} ${e.target}`)
          .sort(),
      { message: 'the new mesh in the atlas', timeout: 120_000 },
    )
    .toEqual([
      `${remotePlane} remote-of ${primaryPlane}`,
      `${primaryPlane} reads cluster:tke-next-remote`,
    ]);

  await page.goto('/ingress-atlas/topology');
  await page.getByRole('combobox', { name: /Find a node/ }).fill('remote');
  await page
    .getByRole('option')
    .filter({ hasText: 'tke-next-remote' })
    .filter({ hasText: 'Control plane' })
    .click();
  const details = page.getByLabel('Selected node');
  await expect(details).toContainText('Cluster: tke-next-remote');
  await expect(details).toContainText('Detail: 1.18.5');
  // In: its cluster hosts it; out: the primary it is a remote of.
  await expect(details).toContainText('Links: 1 in, 1 out');
  await shot(page, '8-atlas-remote');
});
