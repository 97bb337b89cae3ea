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

// The blog is published as blog.example.com on tke-blog (examples/sandbox/tke-blog/30-blog.yaml);
// most other exposed hosts of the sandbox share its words "example" or "com".
test("an exact host ranks its exposure first among the atlas's results, marked without raw tags", async ({
  page,
}) => {
  await signInAsGuest(page);
  await searchAtlas(page, 'blog.example.com');

  const results = page.getByTestId('ingress-atlas-search-result');
  expect(await results.count()).toBeGreaterThan(1);
  const first = results.first();
  await expect(first.getByRole('link').first()).toHaveAttribute(
    'href',
    '/catalog/default/component/blog/ingress?host=blog.example.com',
  );
  // The host is marked whole in the result's title, and no engine's tag shows as text.
  await expect(first.getByRole('link').first().locator('mark')).toHaveText(
    'blog.example.com',
  );
  for (const text of await results.allInnerTexts()) {
    expect(text).not.toMatch(/<\/?[\w-]*>/);
  }
  await page.screenshot({
    path: `${SCREENSHOTS}/search-exact-host-first.png`,
    fullPage: true,
  });
});
