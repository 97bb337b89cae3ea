import { test, expect } from '@playwright/test';
import { SCREENSHOTS, signInAsGuest } from './helpers';

test('a guest opens the blog component from the catalog', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/blog');
  await expect(page.getByRole('heading', { name: 'blog' }).first()).toBeVisible();
  await expect(page.getByText('The blog, served through the tke-blog mesh')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/blog-component.png`, fullPage: true });
});
