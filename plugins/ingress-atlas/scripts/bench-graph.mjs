#!/usr/bin/env node
// Times the topology graph in Debian's Chromium: ELK layout, then React Flow's first render,
// for a synthetic mesh estate (default 2,000 nodes / 3,000 edges). Prints figures; asserts nothing.
//
//   node plugins/ingress-atlas/scripts/bench-graph.mjs [--nodes 2000] [--edges 3000]
//     [--runs 3] [--theme light|dark] [--screenshot file.png]
/* eslint-disable no-console */ // A command-line tool: printing is its output.
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '2000' },
    edges: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '3' },
    theme: { type: 'string', default: 'light' },
    screenshot: { type: 'string' },
  },
});

const here = dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const bundle = await build({
  entryPoints: [join(here, 'bench-graph/entry.tsx')],
  bundle: true,
  write: false,
  minify: true,
  format: 'iife',
  outdir: 'out',
  jsx: 'automatic',
  loader: { '.css': 'css', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  logLevel: 'error',
});
const file = ext =>
  bundle.outputFiles.find(f => f.path.endsWith(ext))?.text ?? '';
const assets = {
  '/': `<!doctype html><html><head><meta charset="utf-8"><style>${file(
    '.css',
  )}</style></head><body><div id="root"></div><script src="/bench.js"></script></body></html>`,
  '/bench.js': file('.js'),
};
console.log(
  `bundle: ${(assets['/bench.js'].length / 1024 / 1024).toFixed(
    1,
  )} MiB in ${Math.round(performance.now() - started)} ms`,
);

const profile = mkdtempSync(join(tmpdir(), 'bench-graph-'));
const browser = await chromium.launchPersistentContext(profile, {
  viewport: { width: 1600, height: 1000 },
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const results = [];
  for (let run = 1; run <= Number(args.runs); run++) {
    const page = await browser.newPage();
    await page.route('http://bench.local/**', route => {
      const path = new URL(route.request().url()).pathname;
      const body = assets[path];
      return body === undefined
        ? route.fulfill({ status: 404 })
        : route.fulfill({
            status: 200,
            contentType: path === '/' ? 'text/html' : 'text/javascript',
            body,
          });
    });
    const errors = [];
    page.on('pageerror', error => errors.push(error.message));
    await page.goto(
      `http://bench.local/?nodes=${args.nodes}&edges=${args.edges}&theme=${args.theme}`,
    );
    const result = await page
      .waitForFunction(() => window.benchResult, null, { timeout: 120_000 })
      .then(handle => handle.jsonValue())
      .catch(error => {
        throw new Error(`${error.message}\n${errors.join('\n')}`);
      });
    results.push(result);
    if (args.screenshot && run === 1) {
      await page.screenshot({ path: args.screenshot });
      console.log(`screenshot: ${args.screenshot}`);
    }
    console.log(
      `run ${run}: ${result.nodes} nodes / ${
        result.edges
      } edges: layout ${Math.round(result.layoutMs)} ms, render ${Math.round(
        result.renderMs,
      )} ms, total ${Math.round(result.totalMs)} ms (${
        result.domNodes
      } nodes, ${result.domEdges} edges in the DOM)`,
    );
    // Search-to-node: pick a node from the search box and wait until its label is drawn.
    const searchStarted = performance.now();
    await page.getByLabel(/Find a node/).fill('istio-system/gw-3');
    await page.getByRole('option').first().click();
    await page
      .getByLabel('Selected node')
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page
      .locator('.react-flow__node', { hasText: 'istio-system/gw-3' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const searchMs = performance.now() - searchStarted;
    result.searchMs = searchMs;
    console.log(
      `run ${run}: search to node ${Math.round(searchMs)} ms (includes typing)`,
    );
    if (args.screenshot && run === 1) {
      await page.waitForTimeout(600);
      const focused = args.screenshot.replace(/(\.png)?$/, '-focus.png');
      await page.screenshot({ path: focused });
      console.log(`screenshot: ${focused}`);
    }
    await page.close();
  }
  const median = key =>
    Math.round(
      results.map(r => r[key]).sort((a, b) => a - b)[
        Math.floor(results.length / 2)
      ],
    );
  console.log(
    `median of ${results.length}: layout ${median(
      'layoutMs',
    )} ms, render ${median('renderMs')} ms, layout+render ${median(
      'totalMs',
    )} ms, search to node ${median('searchMs')} ms`,
  );
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
