import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test, expect } from '@playwright/test';
import {
  REFRESHED_WITHIN,
  SCREENSHOTS,
  openInTheme,
  signInAsGuest,
  waitForFirstRefresh,
} from './helpers';

/*
 * The cost page's 90-day trend and the traffic the cloud measured. The portal records one day
 * per refresh, so a run shows one day of its own: the test writes the 89 days before today
 * into the atlas's database (SQLite, where the portal under test keeps it), as a portal that
 * had run for three months would hold them, and removes them again afterwards.
 */

test.setTimeout(REFRESHED_WITHIN + 120_000);

// Where scripts/e2e.sh started the portal's databases, else where `make start` keeps them.
const DATABASE = path.join(
  process.env.PORTAL_SQLITE_DIR ??
    path.resolve(__dirname, '../../.data/sqlite'),
  'ingress-atlas.sqlite',
);
// The blog's CLB price, as the sandbox's catalogue sets it: 0.2 CNY/h x 720 h.
const EARLIER_CLB = 144;

interface Row {
  day: string;
  scope: string;
  dimension: string;
  key: string;
  monthly_amount: number;
  currency: string;
  unpriced: number;
  recorded_at: string;
}

function addDays(day: string, days: number) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

for (const theme of ['light', 'dark'] as const) {
  test(`the cost page shows 90 days of spend, and measured traffic (${theme})`, async ({
    page,
  }) => {
    await openInTheme(page, theme);
    await waitForFirstRefresh(page.request);
    const db = new DatabaseSync(DATABASE);
    const today = new Date().toISOString().slice(0, 10);
    const first = addDays(today, -89);
    try {
      const recorded = db
        .prepare('SELECT * FROM cost_history WHERE day = ?')
        .all(today) as unknown as Row[];
      expect(
        recorded.length,
        "today's cost, recorded by the refresh",
      ).toBeGreaterThan(0);
      // Until 30 days ago a second CLB billed on tke-blog: the days before show 144 more.
      const insert = db.prepare(
        'INSERT INTO cost_history (day, scope, dimension, key, monthly_amount, currency, unpriced, recorded_at) VALUES (@day, @scope, @dimension, @key, @monthly_amount, @currency, @unpriced, @recorded_at)',
      );
      db.exec('BEGIN');
      // Days an earlier run of the portal recorded (one the day before, say) make way for the
      // history written here.
      db.prepare('DELETE FROM cost_history WHERE day >= ? AND day < ?').run(
        first,
        today,
      );
      for (let back = 89; back >= 1; back--) {
        const day = addDays(today, -back);
        for (const row of recorded) {
          const earlier =
            back > 30 &&
            (row.dimension === 'total' ||
              (row.dimension === 'cluster' && row.key === 'tke-blog') ||
              (row.dimension === 'provider' && row.key === 'tencent'));
          insert.run({
            ...row,
            day,
            monthly_amount: row.monthly_amount + (earlier ? EARLIER_CLB : 0),
            recorded_at: `${day}T12:00:00.000Z`,
          });
        }
      }
      db.exec('COMMIT');
      const { monthly_amount: total, unpriced } = recorded.find(
        r => r.scope === 'account' && r.dimension === 'total',
      )!;

      await signInAsGuest(page);
      await page.goto('/ingress-atlas/cost');
      const trend = page.getByRole('figure', { name: 'Ingress spend per day' });
      await expect(trend).toBeVisible({ timeout: 30_000 });
      // The figures a screen reader reads: the first and the last day of the 90 (Huawei's
      // load balancer has no price in the sandbox: the totals say so).
      const figures = (amount: number) =>
        `${amount.toLocaleString('en-US', {
          maximumFractionDigits: 2,
        })} CNY/month${unpriced ? ' and items not priced' : ''}`;
      await expect(trend).toContainText(
        `${first}: ${figures(total + EARLIER_CLB)}; ${today}: ${figures(
          total,
        )}.`,
      );
      // Drawn: an area over the 90 days, with the unit on the amount axis.
      await expect(trend.locator('.recharts-area-area')).toHaveCount(1);
      await expect(trend).toContainText('CNY/month');

      // The SaaS CLB's traffic, as Cloud Monitor measured it in the sandbox: 4 GB a day.
      await expect(page.getByText(/120 GB/).first()).toBeVisible();
      await page.screenshot({
        path: `${SCREENSHOTS}/cost-trend-${theme}.png`,
        fullPage: true,
      });
    } finally {
      db.prepare('DELETE FROM cost_history WHERE day >= ? AND day < ?').run(
        first,
        today,
      );
      db.close();
    }
  });
}
