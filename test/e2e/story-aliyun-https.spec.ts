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
 * Story: aliyun-asm is an ACK cluster in an Alibaba Cloud Service Mesh. Its mobile site,
 * m.shop.example.cn, is published over plain HTTP by ASM's ingress gateway, behind a public
 * SLB. ASM keeps the Gateway on the ASM instance's API server (aliyun-asm-mesh), while the
 * gateway pods, and the certificate the team put next to them (istio-system/shop-mobile-tls),
 * are in aliyun-asm. From the atlas's finding, a platform engineer runs the HTTPS template:
 * an HTTPS server with that credentialName is added to the Gateway on the ASM instance, and
 * HTTP redirects to it.
 *
 * Like every story it changes the sandbox the portal reads: playwright.config.ts runs
 * story-*.spec.ts after all the others (run alone, add --no-deps), on a portal started for the
 * run (scripts/e2e.sh).
 */

test.setTimeout(REFRESHED_WITHIN + 240_000);

const TEMPLATE = 'Enable HTTPS on a gateway host';
const HOST = 'm.shop.example.cn';
// estates.yaml: the ACK cluster and the ASM instance's API server.
const DATA_PLANE_API = 'http://127.0.0.1:6445';
const ASM_API = 'http://127.0.0.1:6449';
const GATEWAY =
  '/apis/networking.istio.io/v1beta1/namespaces/shop/gateways/shop-mobile-gateway';
const FINDING =
  /m\.shop\.example\.cn is served over plain HTTP only by istio-system\/istio-ingressgateway in aliyun-asm/;

const shot = storyShot('story-aliyun-https');

const findingRow = (page: Page) =>
  page.getByRole('row').filter({ hasText: FINDING });

test('a guest enables HTTPS for m.shop.example.cn from its finding, on the Gateway ASM keeps, and the atlas shows TLS on the path', async ({
  page,
}) => {
  // Before: the Gateway is on the ASM instance only, with one plain HTTP server; the data
  // plane has the certificate next to the gateway workload, and no Gateway of the shop.
  const before = await kubeGet(ASM_API, GATEWAY);
  expect(before.spec.servers).toEqual([
    {
      port: { number: 80, name: 'http-mobile', protocol: 'HTTP' },
      hosts: [HOST],
    },
  ]);
  const onDataPlane = await fetch(`${DATA_PLANE_API}${GATEWAY}`, {
    headers: { Authorization: 'Bearer sandbox-token' },
  });
  expect(onDataPlane.status).toBe(404);
  const secret = await kubeGet(
    DATA_PLANE_API,
    '/api/v1/namespaces/istio-system/secrets/shop-mobile-tls',
  );
  expect(secret.type).toBe('kubernetes.io/tls');

  // 1. The finding, on the Atlas page.
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/ingress-atlas/findings');
    await expect(findingRow(page)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [3_000] });
  await expect(findingRow(page)).toContainText('from the internet');
  await shot(page, '1-finding');

  // 2. The preview: a dry run whose diff adds the HTTPS server with the certificate in
  // istio-system of aliyun-asm, and turns on the redirect, on the Gateway of the ASM instance.
  await findingRow(page).getByRole('button', { name: TEMPLATE }).click();
  const dialog = page.getByRole('dialog', { name: `Preview: ${TEMPLATE}` });
  await expect(dialog.getByRole('list', { name: 'Steps' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(dialog).toContainText('credentialName: shop-mobile-tls');
  await expect(dialog).toContainText('httpsRedirect: true');
  await expect(dialog).toContainText(
    'shop/shop-mobile-gateway on aliyun-asm-mesh',
  );
  await shot(page, '2-preview');
  // A dry run changes nothing.
  expect((await kubeGet(ASM_API, GATEWAY)).spec.servers).toEqual(
    before.spec.servers,
  );

  // 3. The template, prefilled from the finding: cluster, gateway, host and the Secret.
  await dialog.getByRole('link', { name: 'Open template' }).click();
  await expect(page.getByLabel('Cluster')).toHaveValue('aliyun-asm');
  await expect(page.getByLabel('Host')).toHaveValue(HOST);
  await expect(page.getByLabel('TLS Secret')).toHaveValue('shop-mobile-tls');
  await shot(page, '3-template');
  await page.getByRole('button', { name: 'Review' }).click();
  await shot(page, '4-review');

  // 4. The task.
  await page.getByRole('button', { name: 'Create' }).click();
  const { status, log } = await finishedTask(page, 120_000);
  expect(status).toBe('completed');
  expect(log).toContain('aliyun-asm-mesh');
  await expect(page.getByText(`https://${HOST}/`)).toBeVisible();
  await shot(page, '5-task-succeeded');

  // 5. Read back from the ASM instance: the HTTPS server with the credential, and HTTP
  // redirected. The data plane still has no Gateway of the shop.
  const after = await kubeGet(ASM_API, GATEWAY);
  expect(after.spec.servers).toEqual([
    {
      port: { number: 80, name: 'http-mobile', protocol: 'HTTP' },
      hosts: [HOST],
      tls: { httpsRedirect: true },
    },
    {
      port: { number: 443, name: 'https-m-shop-example-cn', protocol: 'HTTPS' },
      hosts: [HOST],
      tls: { mode: 'SIMPLE', credentialName: 'shop-mobile-tls' },
    },
  ]);
  expect(
    (
      await fetch(`${DATA_PLANE_API}${GATEWAY}`, {
        headers: { Authorization: 'Bearer sandbox-token' },
      })
    ).status,
  ).toBe(404);

  // 6. The atlas (the ASM instance's watch brings the change within seconds): the host is
  // served on 443 with TLS from that Secret, and the plain-HTTP finding is gone.
  const headers = { Authorization: `Bearer ${await guestToken(page.request)}` };
  const atlas = async (path: string) =>
    (
      await page.request.get(`${BACKEND}/api/ingress-atlas${path}`, { headers })
    ).json();
  await expect
    .poll(
      async () => {
        const { paths } = await atlas('/exposures');
        const { findings } = await atlas('/findings');
        const https = (
          paths as Array<{
            host: string;
            tls: { mode: string; credentialName?: string; secretRef?: string };
          }>
        ).find(p => p.host === HOST && p.tls.credentialName);
        return {
          tls: https && {
            mode: https.tls.mode,
            secretRef: https.tls.secretRef,
          },
          plaintextFinding: (
            findings as Array<{ code: string; message: string }>
          ).some(
            f =>
              f.code === 'GATEWAY_PLAINTEXT_PUBLIC' &&
              f.message.startsWith(`${HOST} `),
          ),
        };
      },
      { message: 'HTTPS for the host in the atlas', timeout: 120_000 },
    )
    .toEqual({
      tls: { mode: 'SIMPLE', secretRef: 'istio-system/shop-mobile-tls' },
      plaintextFinding: false,
    });
  await page.goto('/ingress-atlas/findings');
  await expect(page.getByText(FINDING)).toHaveCount(0);
  await shot(page, '6-atlas-https');
});
