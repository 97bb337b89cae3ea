import { Locator, test, expect } from '@playwright/test';
import {
  CLUSTERS,
  REFRESHED_WITHIN,
  SCREENSHOTS,
  openBlogCard,
  sidebarLink,
  signInAsGuest,
  openInTheme,
  waitForFirstRefresh,
} from './helpers';

test.setTimeout(REFRESHED_WITHIN + 120_000);

for (const theme of ['light', 'dark'] as const) {
  test.describe(`in the ${theme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await openInTheme(page, theme);
      await signInAsGuest(page);
    });

    test('the blog card shows how it is reached, what it costs and its worst finding', async ({
      page,
    }) => {
      const card = await openBlogCard(page);

      await expect(card.getByText('blog.example.com')).toBeVisible();
      await expect(
        card.getByText(
          /CLB lb-blog0001 · 198\.51\.100\.11 · ports 15021, 80, 443 \(public\)/,
        ),
      ).toBeVisible();
      await expect(card.getByText('144 CNY/month')).toBeVisible();
      await expect(card.getByTestId('finding-banner')).toContainText(
        /tke-blog/,
      );
      expect(await page.content()).not.toContain('ATLAS-CANARY-');
      await page.screenshot({
        path: `${SCREENSHOTS}/ingress-card-${theme}.png`,
        fullPage: true,
      });

      await card
        .getByRole('link', { name: /All paths, costs and fixes/ })
        .click();
      await expect(page).toHaveURL(
        /\/catalog\/default\/component\/blog\/ingress$/,
      );
    });

    test("the blog's Ingress tab lists paths, cost, fixes and its topology", async ({
      page,
    }) => {
      await openBlogCard(page);
      await page.getByRole('link', { name: 'Ingress', exact: true }).click();

      await expect(page.getByText('Exposure paths')).toBeVisible();
      await expect(
        page.getByRole('row', { name: /^blog\.example\.com/ }).first(),
      ).toBeVisible();
      const template = page.getByRole('button', {
        name: 'Move an ingress gateway from CLB to a pod EIP',
      });
      await expect(template.first()).toBeVisible();
      // The template opens from its preview (test/e2e/template-preview.spec.ts), prefilled.
      await template.first().click();
      const preview = page.getByRole('dialog');
      const href = await preview
        .getByRole('link', { name: 'Open template' })
        .getAttribute('href');
      const formData = JSON.parse(
        new URL(href!, 'http://portal').searchParams.get('formData')!,
      );
      expect(JSON.stringify(formData)).toContain('lb-blog0001');
      await page.keyboard.press('Escape');
      await expect(preview).toBeHidden();
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      expect(await page.content()).not.toContain('ATLAS-CANARY-');
      await page.screenshot({
        path: `${SCREENSHOTS}/ingress-tab-${theme}.png`,
        fullPage: true,
      });
    });

    test('the Ingress Atlas page shows every cluster, the mesh and the cost', async ({
      page,
      request,
    }) => {
      await waitForFirstRefresh(request);
      await sidebarLink(page, 'Ingress Atlas').click();
      await expect(page).toHaveURL(/\/ingress-atlas$/);
      for (const cluster of CLUSTERS) {
        await expect(
          // A row is named by its row header, the cluster; exact: tke-next is in tke-next-remote.
          page.getByRole('row', { name: cluster, exact: true }),
        ).toBeVisible();
      }
      await page.screenshot({
        path: `${SCREENSHOTS}/atlas-clusters-${theme}.png`,
        fullPage: true,
      });

      await page.getByRole('tab', { name: 'Topology' }).click();
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      const legend = page.getByRole('list', { name: 'Legend' });
      await expect(legend).toContainText('Control plane');
      await page.getByRole('combobox', { name: /Find a node/ }).fill('tcm');
      await page.getByRole('option').first().click();
      await expect(page.getByLabel('Selected node')).toBeVisible();
      await page.screenshot({
        path: `${SCREENSHOTS}/atlas-topology-${theme}.png`,
      });

      await page.getByRole('tab', { name: 'Cost' }).click();
      await expect(page.getByText('Ingress spend')).toBeVisible();
      await expect(
        page.getByRole('grid', { name: 'Idle and orphaned resources' }),
      ).toContainText('lb-idle0001');
      await page.screenshot({
        path: `${SCREENSHOTS}/atlas-cost-${theme}.png`,
        fullPage: true,
      });
    });
  });
}

test('the portal links nothing to TechDocs, which its backend does not run', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(sidebarLink(page, 'Docs')).toHaveCount(0);
  await page.goto('/catalog/default/component/blog');
  await expect(
    page.getByRole('link', { name: 'Overview', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'TechDocs', exact: true }),
  ).toHaveCount(0);
});

test('the topology takes the keyboard: Tab reaches the search, then the graph; arrows move a visible ring between nodes; Enter opens the ringed node', async ({
  page,
  request,
}) => {
  await waitForFirstRefresh(request);
  await signInAsGuest(page);
  await page.goto('/ingress-atlas/topology');
  const graph = page.getByRole('application', { name: /^Topology graph/ });
  const search = page.getByRole('combobox', { name: /Find a node/ });
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  const isFocused = (element: Locator) =>
    element.evaluate(e => e === document.activeElement);
  const holdsFocus = (element: Locator) =>
    element.evaluate(e => e.contains(document.activeElement));

  // From the top of the page, Tab reaches the search before anything in the graph (its
  // nodes, its zoom controls).
  await page.locator('body').focus();
  for (let presses = 0; !(await isFocused(search)); presses++) {
    expect(presses, 'Tab presses before the search').toBeLessThan(100);
    await page.keyboard.press('Tab');
    if (!(await isFocused(search))) {
      expect(await holdsFocus(graph), 'the graph takes focus first').toBe(
        false,
      );
    }
  }
  await page.keyboard.press('Tab');
  await expect(graph).toBeFocused();
  expect(
    await graph.evaluate(e => getComputedStyle(e).outlineStyle),
    'the graph shows it has the focus',
  ).not.toBe('none');

  // No node is the keyboard's until an arrow is pressed; each arrow moves to another one,
  // ringed as focus is and brought into view.
  const ringed = page.locator('[data-cursor]');
  await expect(ringed).toHaveCount(0);
  const ringedNode = async () => {
    await expect(ringed).toHaveCount(1);
    await expect(ringed).toBeInViewport();
    const style = await ringed.evaluate(e => {
      const computed = getComputedStyle(e);
      return `${computed.outlineStyle} ${computed.outlineWidth}`;
    });
    expect(style, 'the ring around the node').toBe('solid 3px');
    return (await ringed.getAttribute('data-testid'))!;
  };
  const seen: string[] = [];
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown']) {
    await page.keyboard.press(key);
    await expect
      .poll(() => ringed.getAttribute('data-testid'), { message: key })
      .not.toBe(seen[seen.length - 1] ?? null);
    seen.push(await ringedNode());
  }
  expect(new Set(seen).size, `nodes reached: ${seen.join(', ')}`).toBe(3);
  await expect(graph).toBeFocused();

  const label = (await ringed.getAttribute('title'))!.split('\n')[0];
  await page.keyboard.press('Enter');
  const details = page.getByLabel('Selected node');
  await expect(details).toBeVisible();
  await expect(details.getByRole('heading', { level: 3 })).toHaveText(label);
  await page.screenshot({ path: `${SCREENSHOTS}/topology-keyboard.png` });
});

test('the topology fits the graph to its frame again when the window is resized', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsGuest(page);
  await page.goto('/ingress-atlas/topology');
  const graph = page.getByRole('application', { name: /^Topology graph/ });
  await expect(graph).toBeVisible({ timeout: REFRESHED_WITHIN });
  // React Flow's viewport: how the graph is placed and zoomed in its frame.
  const viewport = page.locator('.react-flow__viewport');
  const placement = () =>
    viewport.evaluate(element => getComputedStyle(element).transform);
  // Fitted once laid out: the view starts at the smallest zoom and is then fitted.
  await expect.poll(placement, { timeout: 30_000 }).not.toBe('none');
  await page.waitForTimeout(1_000);
  const wide = await placement();

  await page.setViewportSize({ width: 800, height: 900 });
  // Placed anew for the narrower frame, not left where the wide one had it.
  await expect.poll(placement, { timeout: 10_000 }).not.toBe(wide);
  await page.screenshot({ path: `${SCREENSHOTS}/topology-resized.png` });
});
