import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  REFRESHED_WITHIN,
  SCREENSHOTS,
  openBlogCard,
  openInTheme,
  signInAsGuest,
} from './helpers';

test.setTimeout(REFRESHED_WITHIN + 120_000);

const TEMPLATE = 'Move an ingress gateway from CLB to a pod EIP';

for (const theme of ['light', 'dark'] as const) {
  test(`in the ${theme} theme, the blog's pod-EIP recommendation previews its dry run before the prefilled template`, async ({
    page,
  }) => {
    await openInTheme(page, theme);
    await signInAsGuest(page);
    await openBlogCard(page);
    await page.getByRole('link', { name: 'Ingress', exact: true }).click();

    const recommendation = page
      .locator('[data-testid^="recommendation-"]')
      .filter({ has: page.getByRole('button', { name: TEMPLATE }) });
    await expect(recommendation).toBeVisible();
    await recommendation.getByRole('button', { name: TEMPLATE }).click();

    const dialog = page.getByRole('dialog', { name: `Preview: ${TEMPLATE}` });
    await expect(dialog).toBeVisible();
    await expect(
      dialog.getByRole('heading', { name: `Preview: ${TEMPLATE}` }),
    ).toBeFocused();
    await expect(dialog).toContainText(
      'Cost: 144 CNY/month today, 0 CNY/month after the change.',
    );

    // The dry run on the sandbox: every step but the load balancer's removal, which is off.
    const steps = dialog.getByRole('list', { name: 'Steps' });
    await expect(steps).toBeVisible({ timeout: 60_000 });
    const step = (name: string) =>
      steps.locator(':scope > li', { hasText: name });
    await expect(step('Give the gateway pods their own EIPs')).toContainText(
      'would run',
    );
    await expect(step('Check that the EIPs answer')).toContainText('would run');
    await expect(step('Remove the load balancer')).toContainText(
      'skipped (its condition does not hold for this run)',
    );

    // bind-eip's diff: the StatefulSet created, the Deployment retired once the pods run.
    const changes = dialog.getByRole('region', { name: 'Changes' });
    await expect(changes).toContainText(
      /--- \/dev\/null\s*\+\+\+ StatefulSet istio-system\/istio-ingressgateway/,
    );
    await expect(changes).toContainText(
      /--- Deployment istio-system\/istio-ingressgateway\s*\+\+\+ \/dev\/null/,
    );
    const addresses = dialog.getByRole('region', { name: 'Gateway addresses' });
    await expect(addresses).toContainText('No EIP was allocated (dry run)');
    await expect(addresses).toContainText(
      'The load balancer was kept: its removal was off',
    );
    const { violations } = await new AxeBuilder({ page })
      .include('[role="dialog"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect
      .soft(
        violations.flatMap(v =>
          v.nodes.map(n => `${v.id} at ${n.target.join(' ')}: ${v.help}`),
        ),
        'accessibility violations in the preview',
      )
      .toEqual([]);
    await page.screenshot({
      // The dialog over the page, as one sees it: a full-page shot would cut the page behind it.
      path: `${SCREENSHOTS}/template-preview-${theme}.png`,
    });
    await dialog.screenshot({
      path: `${SCREENSHOTS}/template-preview-dialog-${theme}.png`,
    });

    await dialog.getByRole('link', { name: 'Open template' }).click();
    await expect(page).toHaveURL(
      /\/create\/templates\/default\/move-gateway-to-pod-eip\?formData=/,
    );
    const formData = JSON.parse(
      new URL(page.url()).searchParams.get('formData')!,
    );
    expect(formData).toMatchObject({
      cluster: 'tke-blog',
      loadBalancerId: 'lb-blog0001',
    });
    await expect(page.getByLabel('Cluster')).toHaveValue('tke-blog');
    await page.screenshot({
      path: `${SCREENSHOTS}/template-preview-form-${theme}.png`,
      fullPage: true,
    });

    // Removing the load balancer is off, and turned on it wants the word typed.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(
      page.getByLabel('TTL during the move (seconds)'),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    const removal = page.getByLabel('Remove the load balancer at the end');
    await expect(removal).toBeVisible();
    await expect(removal).not.toBeChecked();
    await removal.check();
    const confirmation = page.getByLabel(
      'Type "remove" to confirm removing the load balancer',
    );
    await expect(confirmation).toBeVisible();
    const review = page.getByRole('button', { name: 'Review' });
    const create = page.getByRole('button', { name: 'Create' });
    // Left empty, the browser refuses the required field; any other word, the template's schema.
    await review.click();
    expect(
      await confirmation.evaluate(
        input => (input as HTMLInputElement).validity.valueMissing,
      ),
    ).toBe(true);
    await confirmation.fill('yes');
    await review.click();
    await expect(confirmation).toHaveAttribute('aria-invalid', 'true');
    await expect(create).toHaveCount(0);
    await page.screenshot({
      path: `${SCREENSHOTS}/template-preview-confirmation-${theme}.png`,
      fullPage: true,
    });
    await confirmation.fill('remove');
    await review.click();
    await expect(create).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOTS}/template-preview-review-${theme}.png`,
      fullPage: true,
    });
  });
}
