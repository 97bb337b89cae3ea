import { expect, test } from '@playwright/test';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:3101';
// The atlas reads the sandbox on its first refresh, a few seconds after the backend starts.
const REFRESHED_WITHIN = 120_000;

test.setTimeout(REFRESHED_WITHIN + 60_000);

/**
 * The plugins as published, in an app made by @backstage/create-app: only the README's steps
 * were taken (the frontend package as a dependency of the app, found by its package
 * discovery; the backend plugins added in packages/backend/src/index.ts; config for the
 * sandbox). The blog component's page shows the atlas's card and tab.
 */
test('the blog component in a new app shows how it is reached and what it costs', async ({
  page,
  request,
}) => {
  // The backend plugin answers with every sandbox cluster read.
  const auth = await request.get(
    `${BACKEND}/api/auth/guest/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(auth.ok(), 'guest sign-in').toBe(true);
  const token = (await auth.json()).backstageIdentity.token;
  await expect
    .poll(
      async () => {
        const res = await request.get(`${BACKEND}/api/ingress-atlas/clusters`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (!res.ok()) return [];
        return ((await res.json()).clusters ?? [])
          .filter((c: { collectedAt?: string }) => c.collectedAt)
          .map((c: { name: string }) => c.name)
          .sort();
      },
      { timeout: REFRESHED_WITHIN, intervals: [2_000] },
    )
    .toEqual([
      'aliyun-asm',
      'edge',
      'huawei-cce',
      'tke-blog',
      'tke-saas-primary',
      'tke-saas-remote',
    ]);

  // The app's sign-in page, as create-app made it: guest access.
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: 'Ingress Atlas' })).toBeVisible();
  const card = page.locator('.MuiCard-root', {
    has: page.getByText('How this entity is reached'),
  });
  await expect(async () => {
    await page.goto('/catalog/default/component/blog');
    await expect(card.getByText('blog.example.com')).toBeVisible({
      timeout: 15_000,
    });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [5_000] });
  await expect(card.getByText('144 CNY/month')).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/fresh-app-card.png',
    fullPage: true,
  });

  await page
    .getByRole('tab', { name: 'Ingress' })
    .or(page.getByRole('link', { name: 'Ingress', exact: true }))
    .first()
    .click();
  await expect(page.getByText('Exposure paths')).toBeVisible();
  await expect(
    page.getByRole('row', { name: /^blog\.example\.com/ }).first(),
  ).toBeVisible();
});
