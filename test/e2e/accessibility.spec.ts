import { Locator, Page, test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  REFRESHED_WITHIN,
  openBlogCard,
  signInAsGuest,
  openInTheme,
  waitForFirstRefresh,
  INDEXED_WITHIN,
  searchAtlas,
} from './helpers';

/**
 * Automated accessibility scans (axe-core) of what the atlas draws, against WCAG 2.0 and 2.1
 * levels A and AA, in both themes, in a desktop window and at a phone's width.
 *
 * Each scan is scoped to our own components' root (`data-testid="ingress-atlas-…"`): the
 * Atlas page (its header, tabs and tab content), the blog's Ingress card on the entity
 * overview and its Ingress tab, and the atlas's results on the search page. Left out is the
 * portal's chrome: the sidebar, the entity page's header and tabs, the search page's own
 * controls and the other plugins' cards, which are Backstage's or the app's
 * (`packages/app`), not the atlas's. (A full-page scan also reports the sidebar's logo link,
 * `packages/app/src/modules/nav/SidebarLogo.tsx`: label-content-name-mismatch, its name
 * "Home" does not contain the app title it shows.)
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const PAGE = '[data-testid="ingress-atlas-page"]';
const CARD = '[data-testid="ingress-atlas-card"]';
const CONTENT = '[data-testid="ingress-atlas-content"]';
const SEARCH_RESULT = '[data-testid="ingress-atlas-search-result"]';

test.setTimeout(REFRESHED_WITHIN + 180_000);

/**
 * Runs axe on `scope` once nothing in it is loading any more, and fails the test listing
 * each violation as `id (impact) at selector: what is wrong`.
 */
async function expectNoViolations(page: Page, scope: string, what: string) {
  const root = page.locator(scope);
  await expect(root.first()).toBeVisible();
  await expect(root.getByRole('progressbar')).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page })
    .include(scope)
    .withTags(WCAG_TAGS)
    .analyze();
  const found = violations.flatMap(violation =>
    violation.nodes.map(
      node =>
        `${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${
          violation.help
        }`,
    ),
  );
  // Soft: a test goes on to its next page or tab and reports every one that fails.
  expect.soft(found, `accessibility violations on ${what}`).toEqual([]);
}

/**
 * Waits until the graph is laid out and fitted. Fitted to a wide frame its nodes are React
 * Flow nodes; to a phone's, they are too small to read and are drawn as boxes of the graph's
 * own layer, so the fitted view is what tells.
 */
async function graphShown(page: Page, width: number) {
  if (width >= 640) {
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    return;
  }
  await expect
    .poll(() =>
      page
        .locator('.react-flow__viewport')
        .first()
        .evaluate(element => getComputedStyle(element).transform),
    )
    .not.toBe('none');
}

async function openAtlasTab(page: Page, tab: string, loaded: Locator) {
  await page.getByRole('tab', { name: tab }).click();
  await expect(loaded).toBeVisible();
}

/** A desktop window, and a phone's (the width of an iPhone 12 to 15). */
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

for (const [theme, viewport] of (['light', 'dark'] as const).flatMap(t =>
  VIEWPORTS.map(v => [t, v] as const),
)) {
  test.describe(`in the ${theme} theme at ${viewport.width} px`, () => {
    test.beforeEach(async ({ page }) => {
      await openInTheme(page, theme);
      // Signed in through the sidebar, which a phone's width folds away.
      await signInAsGuest(page);
      await page.setViewportSize(viewport);
    });

    test('every tab of the Ingress Atlas page passes axe', async ({
      page,
      request,
    }) => {
      await waitForFirstRefresh(request);
      await page.goto('/ingress-atlas');

      await expect(
        page.getByRole('row', { name: /^tke-blog\b/ }),
      ).toBeVisible();
      await expectNoViolations(page, PAGE, `the Clusters tab (${theme})`);

      await openAtlasTab(
        page,
        'Topology',
        page.getByRole('application', { name: /^Topology graph/ }),
      );
      await graphShown(page, viewport.width);
      await expectNoViolations(page, PAGE, `the Topology tab (${theme})`);

      // With a node chosen, its details open beside the graph.
      await page.getByRole('combobox', { name: /Find a node/ }).fill('tcm');
      await page.getByRole('option').first().click();
      await expect(page.getByLabel('Selected node')).toBeVisible();
      await expectNoViolations(
        page,
        PAGE,
        `the Topology tab with a node selected (${theme})`,
      );

      await openAtlasTab(page, 'Cost', page.getByText('Ingress spend'));
      await expectNoViolations(page, PAGE, `the Cost tab (${theme})`);

      await openAtlasTab(
        page,
        'Findings',
        page.getByRole('grid', { name: 'Show severities' }),
      );
      await expectNoViolations(page, PAGE, `the Findings tab (${theme})`);

      // A finding code's page, which each finding's title links to.
      await page.goto('/ingress-atlas/findings/IDLE_LOAD_BALANCER');
      await expect(
        page.getByRole('grid', { name: 'Show severities' }),
      ).toBeVisible();
      await expectNoViolations(
        page,
        PAGE,
        `the page of finding code IDLE_LOAD_BALANCER (${theme})`,
      );
    });

    test("the blog's Ingress card on its overview passes axe", async ({
      page,
    }) => {
      const card = await openBlogCard(page);
      await expect(card.getByTestId('finding-banner')).toBeVisible();
      await expectNoViolations(
        page,
        CARD,
        `the blog's Ingress card (${theme})`,
      );
    });

    test('search results from the atlas pass axe', async ({ page }) => {
      test.setTimeout(INDEXED_WITHIN + 60_000);
      await searchAtlas(page, 'blog.example.com');
      await expectNoViolations(
        page,
        SEARCH_RESULT,
        `search results for blog.example.com (${theme})`,
      );
    });

    test("the blog's Ingress tab passes axe", async ({ page }) => {
      await openBlogCard(page);
      await page.getByRole('link', { name: 'Ingress', exact: true }).click();
      await expect(
        page.getByRole('heading', { name: 'Exposure paths' }),
      ).toBeVisible();
      await graphShown(page, viewport.width);
      await expectNoViolations(
        page,
        CONTENT,
        `the blog's Ingress tab (${theme})`,
      );
    });
  });
}
