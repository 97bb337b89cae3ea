import { expect, test } from '@playwright/test';
import {
  REFRESHED_WITHIN,
  SCREENSHOTS,
  openBlogCard,
  signInAsGuest,
  waitForFirstRefresh,
} from '../e2e/helpers';

test.setTimeout(2 * REFRESHED_WITHIN);

/**
 * The plugins as published, in an app made by @backstage/create-app: only the README's steps
 * were taken (the frontend package as a dependency of the app, found by its package
 * discovery; the backend plugins added in packages/backend/src/index.ts; config for the
 * sandbox). scripts/fresh-app/run.sh points PORTAL_URL and BACKEND_URL at that app.
 */
test('the blog component in a new app shows how it is reached and what it costs', async ({
  page,
  request,
}) => {
  // The backend plugins: every sandbox cluster and the cloud account read.
  await waitForFirstRefresh(request);
  // The frontend plugin: its page in the sidebar, its card and tab on the entity page.
  await signInAsGuest(page);
  const card = await openBlogCard(page);
  await expect(
    card.getByText(/CLB lb-blog0001 · 198\.51\.100\.11/),
  ).toBeVisible();
  await expect(card.getByText('144 CNY/month')).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/fresh-app-card.png`,
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Ingress', exact: true }).click();
  await expect(page.getByText('Exposure paths')).toBeVisible();
  await expect(
    page.getByRole('row', { name: /^blog\.example\.com/ }).first(),
  ).toBeVisible();
});
