import { test, expect } from '@playwright/test';
import {
  REFRESHED_WITHIN,
  SCREENSHOTS,
  signInAsGuest,
  waitForFirstRefresh,
} from './helpers';

test.setTimeout(REFRESHED_WITHIN + 120_000);

// The sandbox's Tencent Cloud account holds lb-idle0001 (198.51.100.99), a CLB with no
// listeners (examples/sandbox/cloud/tencent.yaml), and tke-blog's mesh is run by TCM.
test.beforeEach(async ({ page, request }) => {
  await waitForFirstRefresh(request);
  await signInAsGuest(page);
});

test("a finding links its object to the object's catalog Resource, and its code to what the code means", async ({
  page,
}) => {
  const row = page.getByRole('row', { name: /Load balancer serving nothing/ });
  const resource = row.getByRole('link', { name: 'LoadBalancer lb-idle0001' });
  // The catalog module publishes the load balancer on its first run after the refresh.
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await page
      .getByRole('searchbox', { name: 'Filter findings' })
      .fill('lb-idle0001');
    await expect(resource).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [5_000] });
  await page.screenshot({
    path: `${SCREENSHOTS}/findings-object-links.png`,
    fullPage: true,
  });

  await row
    .getByRole('link', { name: 'Load balancer serving nothing' })
    .click();
  await expect(page).toHaveURL(
    /\/ingress-atlas\/findings\/IDLE_LOAD_BALANCER$/,
  );
  await expect(
    page.getByRole('heading', {
      name: 'IDLE_LOAD_BALANCER: Load balancer serving nothing',
    }),
  ).toBeVisible();
  await expect(page.getByText('DeleteLoadBalancer').first()).toBeVisible();
  await expect(
    page.getByRole('row', { name: /lb-idle0001/ }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/finding-code-page.png`,
    fullPage: true,
  });

  await page.goBack();
  await page
    .getByRole('searchbox', { name: 'Filter findings' })
    .fill('lb-idle0001');
  await resource.click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/lb-idle0001$/);
  await expect(
    page.getByRole('heading', { name: 'lb-idle0001' }).first(),
  ).toBeVisible();
});

test("a finding's object without a catalog Resource opens its node on the topology", async ({
  page,
}) => {
  await page.goto('/ingress-atlas/findings');
  await page.getByRole('searchbox', { name: 'Filter findings' }).fill('TCM');
  const controlPlane = page
    .getByRole('row', { name: /Tencent's managed mesh/ })
    .getByRole('link', { name: /^ControlPlane .* in tke-blog$/ });
  await controlPlane.first().click();

  await expect(page).toHaveURL(
    /\/ingress-atlas\/topology\?cluster=tke-blog&node=controlPlane/,
  );
  const selected = page.getByLabel('Selected node');
  await expect(selected).toBeVisible();
  await expect(selected).toContainText('tke-blog');
  await page.screenshot({ path: `${SCREENSHOTS}/finding-topology-node.png` });
});

test('the cost page tells idle waste from a saving, and says what to do about each idle resource', async ({
  page,
}) => {
  await page.goto('/ingress-atlas/cost');
  await expect(page.getByText('Idle waste')).toBeVisible();
  await expect(
    page.getByText(/^Billed for serving nothing: EIPs bound to nothing/),
  ).toBeVisible();
  await expect(
    page.getByText(/^What cheaper ways to serve entries in use would save/),
  ).toBeVisible();

  const idle = page
    .getByRole('grid', { name: 'Idle and orphaned resources' })
    .getByRole('row', { name: /lb-idle0001/ });
  await expect(idle).toContainText(/Delete it .*198\.51\.100\.99/);
  await expect(
    idle.getByRole('link', { name: 'About Load balancer serving nothing' }),
  ).toHaveAttribute('href', '/ingress-atlas/findings/IDLE_LOAD_BALANCER');
  await expect(idle.getByRole('link', { name: 'lb-idle0001' })).toHaveAttribute(
    'href',
    '/catalog/default/resource/lb-idle0001',
  );
  await page.screenshot({
    path: `${SCREENSHOTS}/cost-idle-what-to-do.png`,
    fullPage: true,
  });
});
