import { Page, test, expect } from '@playwright/test';
import {
  INDEXED_WITHIN,
  SCREENSHOTS,
  openInTheme,
  searchAtlas,
} from './helpers';

// The atlas reads the sandbox on its first refresh, a few seconds after the backend starts.
const REFRESHED_WITHIN = 120_000;

test.setTimeout(REFRESHED_WITHIN + 180_000);
test.use({ viewport: { width: 390, height: 844 } });

/** Signs in as a guest; on a phone the sidebar is a bottom bar, so wait for the sign-in to go. */
async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await expect(enter).toHaveCount(0);
}

/** How far the page is wider than the screen, in CSS pixels (0 when it fits). */
function horizontalOverflow(page: Page) {
  return page.evaluate(
    () =>
      document.documentElement.scrollWidth -
      document.documentElement.clientWidth,
  );
}

/** The visible headings as `H2 blog`, in document order. */
function headings(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter(h => (h as HTMLElement).offsetParent !== null)
      .map(h => `${h.tagName} ${h.textContent?.trim().slice(0, 40)}`),
  );
}

/** Where a heading is more than one level below the one before it (H2 → H6). */
function levelJumps(list: string[]) {
  const jumps: string[] = [];
  list.forEach((heading, i) => {
    if (i === 0) return;
    const previous = Number(list[i - 1][1]);
    if (Number(heading[1]) > previous + 1) {
      jumps.push(`${list[i - 1]} → ${heading}`);
    }
  });
  return jumps;
}

async function expectFitsAndHeadingsInOrder(page: Page, name: string) {
  await page.screenshot({
    path: `${SCREENSHOTS}/phone-${name}.png`,
    fullPage: true,
  });
  expect(await horizontalOverflow(page), `${name}: horizontal overflow`).toBe(
    0,
  );
  const list = await headings(page);
  expect(levelJumps(list), `${name}: headings ${list.join(', ')}`).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`in the ${theme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await openInTheme(page, theme);
    });

    test('at 390 px the blog card and its Ingress tab fit, with headings in order, one exposure request and no key warnings', async ({
      page,
    }) => {
      const exposureRequests: string[] = [];
      page.on('request', request => {
        if (
          /\/api\/ingress-atlas\/entities\/.*\/exposure$/.test(request.url())
        ) {
          exposureRequests.push(request.url());
        }
      });
      const keyWarnings: string[] = [];
      page.on('console', message => {
        const text = message.text();
        if (/unique "key" prop|unique id property/.test(text)) {
          keyWarnings.push(text.slice(0, 200));
        }
      });
      await signIn(page);

      const card = page.getByTestId('ingress-atlas-card');
      await expect(async () => {
        exposureRequests.length = 0;
        await page.goto('/catalog/default/component/blog');
        await expect(card.getByText('blog.example.com')).toBeVisible({
          timeout: 10_000,
        });
      }).toPass({ timeout: REFRESHED_WITHIN, intervals: [5_000] });
      await expect(
        card.getByRole('heading', { name: 'Ingress', level: 3 }),
      ).toBeVisible();
      await expectFitsAndHeadingsInOrder(page, `ingress-card-${theme}`);

      await page.getByRole('link', { name: 'Ingress', exact: true }).click();
      await expect(
        page.getByRole('heading', { name: 'Exposure paths' }),
      ).toBeVisible();
      await expect(
        page.getByRole('heading', { name: 'Cost', level: 2 }),
      ).toBeVisible();
      await expect(page.locator('.react-flow').first()).toBeVisible();
      await expectFitsAndHeadingsInOrder(page, `ingress-tab-${theme}`);

      // The card and the tab of one page share their request.
      expect(exposureRequests).toHaveLength(1);
      expect(keyWarnings).toEqual([]);
    });

    const ATLAS_TABS: Array<[string, string, (page: Page) => Promise<void>]> = [
      [
        'clusters',
        '/ingress-atlas',
        page =>
          expect(page.getByRole('row', { name: /^tke-blog\b/ })).toBeVisible({
            timeout: REFRESHED_WITHIN,
          }),
      ],
      [
        'topology',
        '/ingress-atlas/topology',
        page =>
          expect(
            page.getByRole('application', { name: /^Topology graph/ }),
          ).toBeVisible({ timeout: REFRESHED_WITHIN }),
      ],
      [
        'cost',
        '/ingress-atlas/cost',
        page =>
          expect(page.getByText('Ingress spend')).toBeVisible({
            timeout: REFRESHED_WITHIN,
          }),
      ],
      [
        'findings',
        '/ingress-atlas/findings',
        page =>
          expect(
            page.getByRole('grid', { name: 'Show severities' }),
          ).toBeVisible({ timeout: REFRESHED_WITHIN }),
      ],
    ];

    test('at 390 px search results for a host fit, with headings in order', async ({
      page,
    }) => {
      test.setTimeout(INDEXED_WITHIN + 60_000);
      await signIn(page);
      await searchAtlas(page, 'blog.example.com');
      await expectFitsAndHeadingsInOrder(page, `search-${theme}`);
    });

    for (const [name, path, loaded] of ATLAS_TABS) {
      test(`at 390 px the Atlas ${name} tab fits, with headings in order`, async ({
        page,
      }) => {
        await signIn(page);
        await page.goto(path);
        await loaded(page);
        await expectFitsAndHeadingsInOrder(page, `atlas-${name}-${theme}`);
      });
    }

    test('the topology takes the keyboard: search first, arrows between nodes, Enter for details', async ({
      page,
    }) => {
      await signIn(page);
      await page.goto('/ingress-atlas/topology');
      const graph = page.getByRole('application', { name: /^Topology graph/ });
      await expect(graph).toBeVisible({ timeout: REFRESHED_WITHIN });

      await page.getByRole('combobox', { name: /Find a node/ }).focus();
      await page.keyboard.press('Tab');
      // The search's button that shows suggestions is not a tab stop: the graph comes next.
      await expect(graph).toBeFocused();
      const ring = await graph.evaluate(
        element => getComputedStyle(element).outlineStyle,
      );
      expect(ring).not.toBe('none');

      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await expect(page.getByLabel('Selected node')).toBeVisible();
      await page.screenshot({
        path: `${SCREENSHOTS}/phone-topology-keyboard-${theme}.png`,
      });
    });
  });
}
