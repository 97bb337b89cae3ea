import { createHash, createHmac } from 'node:crypto';
import { test, expect, Page } from '@playwright/test';
import {
  REFRESHED_WITHIN,
  SCREENSHOTS,
  finishedTask,
  kubeGet,
  openBlogCard,
  signInAsGuest,
  storyShot,
} from './helpers';

/*
 * Story: a platform engineer moves the blog's ingress gateway from its CLB to pod EIPs, from
 * the atlas's finding to the atlas showing the new state, with DNS cut over and the CLB gone.
 *
 * It runs a migration for real on the sandbox the portal reads, so every spec after it would
 * see blog's CLB gone: playwright.config.ts runs story-*.spec.ts in a project that depends on
 * all the others (run alone, add --no-deps). It also needs the seeded estate itself: against a
 * portal it already ran on, restart the portal (scripts/e2e.sh starts a fresh one).
 */

test.setTimeout(REFRESHED_WITHIN + 360_000);

const TEMPLATE = 'Move an ingress gateway from CLB to a pod EIP';
const CLUSTER_API = 'http://127.0.0.1:6441';
const CLOUD_API = 'http://127.0.0.1:6480';
// The sandbox's own stand-in key pair, as app-config.sandbox.yaml gives it to the backend.
const SANDBOX_KEY = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

const shot = storyShot('story-pod-eip');

/** Calls the Tencent Cloud stand-in with a TC3-HMAC-SHA256 signature, as the SDK does. */
async function cloudCall(action: string, version: string, body: object) {
  const payload = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = 'dnspod';
  const contentType = 'application/json; charset=utf-8';
  const sha256 = (text: string) =>
    createHash('sha256').update(text).digest('hex');
  const hmac = (key: string | Buffer, text: string) =>
    createHmac('sha256', key).update(text).digest();
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${new URL(CLOUD_API).hostname}\n`,
    'content-type;host',
    sha256(payload),
  ].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const key = hmac(
    hmac(hmac(`TC3${SANDBOX_KEY.secretKey}`, date), service),
    'tc3_request',
  );
  const signature = createHmac('sha256', key)
    .update(
      ['TC3-HMAC-SHA256', String(timestamp), scope, sha256(canonical)].join(
        '\n',
      ),
    )
    .digest('hex');
  const response = await fetch(`${CLOUD_API}/`, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-TC-Action': action,
      'X-TC-Version': version,
      'X-TC-Timestamp': String(timestamp),
      Authorization: `TC3-HMAC-SHA256 Credential=${SANDBOX_KEY.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    },
    body: payload,
  });
  const { Response: answer } = await response.json();
  expect(answer.Error, `${action}`).toBeUndefined();
  return answer;
}

const entryRow = (page: Page) =>
  page
    .locator('dt', { hasText: /^Entr(y|ies)$/ })
    .locator('xpath=following-sibling::dd[1]');
const costRow = (page: Page) =>
  page
    .locator('dt', { hasText: /^Monthly cost share$/ })
    .locator('xpath=following-sibling::dd[1]');

test('a guest moves the blog gateway from its CLB to pod EIPs, with DNS cut over, and the atlas shows the new entry and cost', async ({
  page,
}) => {
  // 1. The finding: blog is reached through CLB lb-blog0001 at 144 CNY a month.
  await signInAsGuest(page);
  const card = await openBlogCard(page);
  await expect(entryRow(page)).toContainText(
    /CLB lb-blog0001 · 198\.51\.100\.11 .*\(public\)/,
  );
  await expect(costRow(page)).toHaveText('144 CNY/month');
  await shot(page, '1-card-before');

  // 2. The preview: the dry run of the recommendation's template.
  await page.getByRole('link', { name: 'Ingress', exact: true }).click();
  await page
    .locator('[data-testid^="recommendation-"]')
    .getByRole('button', { name: TEMPLATE })
    .click();
  const dialog = page.getByRole('dialog', { name: `Preview: ${TEMPLATE}` });
  await expect(dialog).toContainText(
    'Cost: 144 CNY/month today, 0 CNY/month after the change.',
  );
  await expect(dialog.getByRole('list', { name: 'Steps' })).toBeVisible({
    timeout: 60_000,
  });
  // The gateway listens on 8080/8443 behind the Service's 80->8080, 443->8443; clients of a pod
  // EIP reach the pod's own ports, so the move has the pods answer on 80/443 themselves: the
  // preview's diff shows the Service's targetPorts following.
  await expect(dialog).toContainText('-      targetPort: 8443');
  await expect(dialog).toContainText('+      targetPort: 443');
  await shot(page, '2-preview');

  // 3. The template, prefilled from the recommendation (the public host too).
  await dialog.getByRole('link', { name: 'Open template' }).click();
  await expect(page.getByLabel('Cluster')).toHaveValue('tke-blog');
  await shot(page, '3-template');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Host')).toHaveValue('blog.example.com');
  // The DNS step comes prefilled too: the CLB's account hosts example.com on DNSPod (the seed's
  // domains), so blog.example.com's record is `blog` there.
  await expect(page.getByLabel('DNSPod domain')).toHaveValue('example.com');
  await expect(page.getByLabel('Record', { exact: true })).toHaveValue('blog');
  // The probe stays on: "Check that the EIPs answer" connects to 80 and 443 of every EIP (the
  // sandbox's prober answers from the pods' state) before DNS and the CLB are touched.
  await expect(
    page.getByLabel('Probe the EIPs over TCP before moving traffic'),
  ).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Remove the load balancer at the end').check();
  await page
    .getByLabel('Type "remove" to confirm removing the load balancer')
    .fill('remove');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText('example.com', { exact: true })).toBeVisible();
  await shot(page, '4-review');

  // 4. The task, on Backstage's task page, until every step has run.
  await page.getByRole('button', { name: 'Create' }).click();
  // The scaffolder's own record of the task: it ends completed, not failed.
  const { status, log } = await finishedTask(page, 240_000);
  expect(status).toBe('completed');
  // "Check that the EIPs answer" connected to 80 and 443 of every EIP before DNS moved.
  const addresses = page.getByText(/The gateway now answers on/);
  await expect(addresses).toBeVisible();
  const eips = (await addresses.innerText())
    .replace(/.*answers on/, '')
    .match(/\d{1,3}(\.\d{1,3}){3}/g)!;
  expect(eips.length).toBeGreaterThan(0);
  for (const eip of eips) {
    for (const port of [80, 443]) {
      expect(log).toContain(`Preflight ok: ${eip}:${port} answers`);
    }
  }
  await expect(
    page.getByText(/Monthly saving once the CLB is gone/),
  ).toContainText('144 CNY');
  await shot(page, '5-task-succeeded');

  // 5. The cluster: a StatefulSet whose pods are Ready with their EIPs, the Service a ClusterIP.
  const statefulSet = await kubeGet(
    CLUSTER_API,
    '/apis/apps/v1/namespaces/istio-system/statefulsets/istio-ingressgateway',
  );
  expect(statefulSet.status.readyReplicas).toBe(statefulSet.spec.replicas);
  expect(statefulSet.spec.replicas).toBe(eips.length);
  const proxy = statefulSet.spec.template.spec.containers.find(
    (c: { name: string }) => c.name === 'istio-proxy',
  );
  expect(
    proxy.ports.map((p: { containerPort: number }) => p.containerPort),
  ).toEqual(expect.arrayContaining([80, 443]));
  const service = await kubeGet(
    CLUSTER_API,
    '/api/v1/namespaces/istio-system/services/istio-ingressgateway',
  );
  expect(service.spec.type).toBe('ClusterIP');
  expect(
    service.spec.ports.map((p: { port: number; targetPort: number }) => [
      p.port,
      p.targetPort,
    ]),
  ).toEqual(
    expect.arrayContaining([
      [80, 80],
      [443, 443],
    ]),
  );
  expect(service.status?.loadBalancer?.ingress ?? []).toEqual([]);

  // 6. DNSPod: blog.example.com lists every pod's EIP, and only them.
  const records = await cloudCall('DescribeRecordList', '2021-03-23', {
    Domain: 'example.com',
    Subdomain: 'blog',
  });
  expect(
    records.RecordList.filter((r: { Type: string }) => r.Type === 'A')
      .map((r: { Value: string }) => r.Value)
      .sort(),
  ).toEqual([...eips].sort());

  // 7. The atlas: the blog's entry is the pod EIPs, no longer the CLB, at their cost.
  await expect(async () => {
    await page.goto('/catalog/default/component/blog');
    await expect(entryRow(page)).toContainText(/Pod EIP/, {
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [3_000] });
  for (const eip of eips) await expect(entryRow(page)).toContainText(eip);
  await expect(entryRow(page)).not.toContainText('lb-blog0001');
  await expect(card.getByText('lb-blog0001')).toHaveCount(0);
  await expect(costRow(page)).not.toHaveText('144 CNY/month');
  await expect(costRow(page)).toHaveText('0 CNY/month');
  await shot(page, '6-card-after');
  await card.screenshot({
    path: `${SCREENSHOTS}/story-pod-eip-7-card-after-detail.png`,
  });
});
