import { test, expect } from '@playwright/test';
import {
  INDEXED_WITHIN,
  SCREENSHOTS,
  searchAtlas,
  signInAsGuest,
} from './helpers';

test.setTimeout(INDEXED_WITHIN + 60_000);

test('a guest finds blog.example.com in search and lands on its Ingress tab', async ({
  page,
}) => {
  await signInAsGuest(page);

  const result = await searchAtlas(page, 'blog.example.com');

  await expect(page.getByText('Exposed hosts').first()).toBeVisible();
  await expect(page.getByText(/198\.51\.100\.11/).first()).toBeVisible();
  await expect(page.getByText(/lb-blog0001/).first()).toBeVisible();
  await expect(page.getByText('Cluster: tke-blog')).toBeVisible();
  expect(await page.content()).not.toContain('ATLAS-CANARY-');
  await page.screenshot({
    path: `${SCREENSHOTS}/search-blog-host.png`,
    fullPage: true,
  });

  await result.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/blog\/ingress\?host=blog\.example\.com$/,
  );
  await expect(
    page.getByRole('heading', { name: 'blog' }).first(),
  ).toBeVisible();
});

test('the blog gateway is a catalog Resource depending on its cluster and serving the blog', async ({
  page,
}) => {
  await signInAsGuest(page);

  const gateway =
    '/catalog/default/resource/tke-blog-istio-system-istio-ingressgateway';
  await expect(async () => {
    await page.goto(gateway);
    await expect(
      page
        .getByRole('heading', {
          name: 'tke-blog-istio-system-istio-ingressgateway',
        })
        .first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: INDEXED_WITHIN, intervals: [5_000] });

  await expect(page.getByText('ingress-gateway').first()).toBeVisible();
  // The Relations card draws the gateway between its cluster and the component it serves.
  const relations = page.locator('article', { hasText: 'Relations' });
  await expect(
    relations.getByText('tke-blog', { exact: true }).first(),
  ).toBeVisible();
  await expect(
    relations.getByText('blog', { exact: true }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/catalog-blog-gateway.png`,
    fullPage: true,
  });
});
