#!/usr/bin/env node
// Times the entity "Ingress" tab in Debian's Chromium against a running portal (`make start`):
// signs in as guest, then, per run,
//   open:   loads /catalog/default/component/<entity>/ingress and waits for the paths table
//           (the whole app starts: bundle, sign-in refresh, catalog entity, lazy tab, API call;
//           the time the entity's header shows tells the app's share from the tab's);
//   switch: on the entity's overview, clicks the Ingress tab and waits for the paths table.
// Prints figures and the exposure API's own time; asserts nothing.
//
//   node plugins/ingress-atlas/scripts/bench-entity-tab.mjs [--portal http://localhost:3000]
//     [--entity blog] [--host blog.example.com] [--runs 5]
/* eslint-disable no-console */ // A command-line tool: printing is its output.
import { benchOptions, median, withChromium } from './bench.mjs';

const args = benchOptions({
  // localhost, not 127.0.0.1: the backend's CORS origin is localhost:3000.
  portal: 'http://localhost:3000',
  entity: 'blog',
  host: 'blog.example.com',
  runs: '5',
});

const overview = `${args.portal}/catalog/default/component/${args.entity}`;
const EXPOSURE_API =
  /\/api\/ingress-atlas\/entities\/[^/]+\/[^/]+\/[^/]+\/exposure/;

/** ms since navigation start at which the paths table shows a row for the host. */
const tableShown = (page, host) =>
  page
    .waitForFunction(
      expected =>
        Array.from(document.querySelectorAll('tr')).some(row =>
          row.textContent?.startsWith(expected),
        ) && performance.now(),
      host,
      { polling: 'raf', timeout: 60_000 },
    )
    .then(handle => handle.jsonValue());

/** ms since navigation start at which the entity page's header names the entity. */
const headerShown = (page, entity) =>
  page
    .waitForFunction(
      expected =>
        Array.from(document.querySelectorAll('h1, h2')).some(
          heading => heading.textContent === expected,
        ) && performance.now(),
      entity,
      { polling: 'raf', timeout: 60_000 },
    )
    .then(handle => handle.jsonValue());

/** The exposure API's time from request start to the end of its response, in ms. */
const exposureTiming = page =>
  page
    .waitForResponse(response => EXPOSURE_API.test(response.url()), {
      timeout: 60_000,
    })
    .then(async response => {
      await response.finished();
      return response.request().timing().responseEnd;
    });

async function signIn(page) {
  await page.goto(args.portal);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Ingress Atlas', exact: true })
    .waitFor({ timeout: 60_000 });
}

await withChromium(
  'bench-entity-tab',
  { width: 1440, height: 900 },
  async browser => {
    const page = await browser.newPage();
    await signIn(page);
    const results = [];
    for (let run = 1; run <= Number(args.runs); run++) {
      const openApi = exposureTiming(page);
      await page.goto(`${overview}/ingress`, { waitUntil: 'commit' });
      const [headerMs, openMs] = await Promise.all([
        headerShown(page, args.entity),
        tableShown(page, args.host),
      ]);
      const openApiMs = await openApi;

      await page.goto(overview);
      const tab = page.getByRole('link', { name: 'Ingress', exact: true });
      await tab.waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      const switchApi = exposureTiming(page);
      const clicked = await page.evaluate(() => performance.now());
      await tab.click();
      const switchMs = (await tableShown(page, args.host)) - clicked;
      const switchApiMs = await switchApi;

      results.push({ headerMs, openMs, openApiMs, switchMs, switchApiMs });
      console.log(
        `run ${run}: open ${Math.round(
          openMs,
        )} ms (entity header at ${Math.round(
          headerMs,
        )} ms, exposure API ${Math.round(
          openApiMs,
        )} ms), tab switch ${Math.round(
          switchMs,
        )} ms (exposure API ${Math.round(switchApiMs)} ms)`,
      );
    }
    const middle = key => median(results.map(r => r[key]));
    console.log(
      `median of ${results.length}: open ${middle(
        'openMs',
      )} ms (entity header at ${middle('headerMs')} ms), tab switch ${middle(
        'switchMs',
      )} ms, exposure API ${middle('switchApiMs')} ms`,
    );
  },
);
