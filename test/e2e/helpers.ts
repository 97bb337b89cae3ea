import { Page, expect } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

export function sidebarLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}

/**
 * Signs in with the guest provider from the portal's sign-in page. Waits for a sidebar link
 * rather than the sidebar `nav`, whose own box has no height (its content is positioned fixed).
 */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(sidebarLink(page, 'Ingress Atlas')).toBeVisible();
}
