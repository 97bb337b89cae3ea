import { Page, expect } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

/** Signs in with the guest provider from the portal's sign-in page. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(page.getByRole('navigation', { name: 'sidebar nav' })).toBeVisible();
}
