import { APIRequestContext, Page, expect } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

// The atlas reads the sandbox on its first refresh, a few seconds after the backend starts.
export const REFRESHED_WITHIN = 120_000;
export const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
export const CLUSTERS = [
  'aliyun-asm',
  'aliyun-asm-mesh',
  'edge',
  'huawei-cce',
  'tke-blog',
  'tke-next',
  'tke-next-remote',
  'tke-saas-primary',
  'tke-saas-remote',
];

export function sidebarLink(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}

/**
 * Signs in with the guest provider from the portal's sign-in page. Waits for a sidebar link
 * rather than the sidebar `nav`, whose own box has no height (its content is positioned fixed).
 */
/** Opens the portal in a theme (Backstage keeps the choice in local storage). */
export async function openInTheme(page: Page, theme: 'light' | 'dark') {
  await page.addInitScript(
    mode => window.localStorage.setItem('theme', mode),
    theme,
  );
}

export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(sidebarLink(page, 'Ingress Atlas')).toBeVisible();
}

/**
 * Waits until the atlas has read every sandbox cluster and the Tencent Cloud account once,
 * asking its API as a guest: on a freshly started portal the page would otherwise open on
 * an empty atlas, and it does not poll.
 */
export async function waitForFirstRefresh(request: APIRequestContext) {
  const headers = { Authorization: `Bearer ${await guestToken(request)}` };
  // A backend still starting, or restarting, refuses connections: that is one more try.
  const atlas = (path: string) =>
    request.get(`${BACKEND}/api/ingress-atlas${path}`, { headers }).then(
      response => (response.ok() ? response.json() : undefined),
      () => undefined,
    );
  await expect
    .poll(
      async () => {
        const clusters = await atlas('/clusters');
        const cost = await atlas('/cost');
        return {
          collected: (clusters?.clusters ?? [])
            .filter((cluster: { collectedAt?: string }) => cluster.collectedAt)
            .map((cluster: { name: string }) => cluster.name)
            .sort(),
          idleClbFound: JSON.stringify(cost ?? {}).includes('lb-idle0001'),
        };
      },
      {
        message: 'first refresh of every cluster and the cloud account',
        timeout: REFRESHED_WITHIN,
        intervals: [2_000],
      },
    )
    .toEqual({ collected: CLUSTERS, idleClbFound: true });
}

/** Opens the blog component, waiting for the atlas's first refresh to reach it. */
export async function openBlogCard(page: Page) {
  const card = page.getByTestId('ingress-atlas-card');
  await expect(async () => {
    await page.goto('/catalog/default/component/blog');
    await expect(card.getByText('blog.example.com')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: REFRESHED_WITHIN, intervals: [5_000] });
  return card;
}

/** The guest's token for the backend's REST APIs, as the signed-in page holds it. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const auth = await request.get(
    `${BACKEND}/api/auth/guest/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(auth.ok(), 'guest token').toBe(true);
  return (await auth.json()).backstageIdentity.token;
}

/**
 * Waits for the scaffolder task the page shows (after "Create") to end, and answers the
 * scaffolder's own record of it: its final status and its log, one message per line.
 */
export async function finishedTask(
  page: Page,
  timeout: number,
): Promise<{ status: string; log: string }> {
  await expect(page).toHaveURL(/\/create\/tasks\/[\w-]+/);
  const taskId = new URL(page.url()).pathname.split('/').pop();
  const headers = { Authorization: `Bearer ${await guestToken(page.request)}` };
  const task = `${BACKEND}/api/scaffolder/v2/tasks/${taskId}`;
  const status = async () =>
    (await (await page.request.get(task, { headers })).json()).status;
  await expect
    .poll(status, { timeout, intervals: [2_000] })
    .toMatch(/^(completed|failed|cancelled)$/);
  const events = await (
    await page.request.get(`${task}/events`, { headers })
  ).json();
  return {
    status: await status(),
    log: events
      .map((e: { body: { message?: string } }) => e.body.message ?? '')
      .join('\n'),
  };
}

/** Reads an object from a sandbox cluster's API server (its URL), as kubectl would. */
export async function kubeGet(clusterApi: string, path: string) {
  const response = await fetch(`${clusterApi}${path}`, {
    headers: { Authorization: 'Bearer sandbox-token' },
  });
  expect(response.status, `GET ${path}`).toBe(200);
  return response.json();
}

/** Takes a story's screenshot of a stage, as test-results/screenshots/<story>-<stage>.png. */
export function storyShot(story: string) {
  return (page: Page, stage: string) =>
    page.screenshot({
      path: `${SCREENSHOTS}/${story}-${stage}.png`,
      fullPage: true,
    });
}

// The collator indexes the atlas on a schedule after its first refresh: results show up
// within a few minutes of the start.
export const INDEXED_WITHIN = 180_000;

/** Searches the atlas's results for `query` until the collator has indexed a link named so. */
export async function searchAtlas(page: Page, query: string) {
  const result = page.getByRole('link', { name: query, exact: true });
  await expect(async () => {
    await page.goto(
      `/search?query=${encodeURIComponent(query)}&types[]=ingress-atlas`,
    );
    await expect(result).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: INDEXED_WITHIN, intervals: [5_000] });
  return result;
}
