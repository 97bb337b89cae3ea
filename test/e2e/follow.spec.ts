import { test, expect, APIRequestContext } from '@playwright/test';
import {
  REFRESHED_WITHIN,
  openBlogCard,
  signInAsGuest,
  waitForFirstRefresh,
} from './helpers';

/** The sandbox's tke-blog API server, as app-config.sandbox.yaml reaches it. */
const TKE_BLOG = 'http://127.0.0.1:6441';
const GATEWAY = `${TKE_BLOG}/apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway`;

/** What an operator's `kubectl scale` does, through the cluster's API. */
async function scaleGateway(request: APIRequestContext, replicas: number) {
  const response = await request.patch(GATEWAY, {
    headers: {
      Authorization: 'Bearer sandbox-token',
      'Content-Type': 'application/merge-patch+json',
    },
    data: JSON.stringify({ spec: { replicas } }),
  });
  expect(response.status(), await response.text()).toBe(200);
}

test.setTimeout(REFRESHED_WITHIN + 180_000);

test('the open Ingress tab follows a change in the cluster, without a reload', async ({
  page,
  request,
}) => {
  await waitForFirstRefresh(request);
  await signInAsGuest(page);
  await openBlogCard(page);
  await page.getByRole('link', { name: 'Ingress', exact: true }).click();
  const singleReplica = page.getByText(
    /Public load balancer lb-blog0001 in tke-blog sends all traffic to one replica/,
  );
  await expect(singleReplica.first()).toBeVisible();
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));

  try {
    // The cluster's watch reaches the atlas within seconds; the tab asks for a newer model
    // every followChangesSeconds.
    await scaleGateway(request, 2);
    await expect(singleReplica).toHaveCount(0, { timeout: 90_000 });
  } finally {
    await scaleGateway(request, 1);
  }
  await expect(singleReplica.first()).toBeVisible({ timeout: 90_000 });
  expect(loads, 'page loads after the first').toEqual([]);
});
