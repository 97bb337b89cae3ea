#!/usr/bin/env node
// Times the topology graph in Debian's Chromium: ELK layout, then React Flow's first render,
// for a synthetic mesh estate (default 2,000 nodes / 3,000 edges). Prints figures; asserts nothing.
// Next to wall-clock time it prints the CPU time of the page's main thread and workers in each
// phase, from a trace: on a machine shared with other work, it is the steadier figure.
//
//   node plugins/ingress-atlas/scripts/bench-graph.mjs [--nodes 2000] [--edges 3000]
//     [--runs 3] [--theme light|dark] [--screenshot file.png]
/* eslint-disable no-console */ // A command-line tool: printing is its output.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions, median, withChromium } from './bench.mjs';

const args = benchOptions({
  nodes: '2000',
  edges: '3000',
  runs: '3',
  theme: 'light',
  screenshot: undefined,
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

const TOP_LEVEL_TASKS = new Set([
  'ThreadControllerImpl::RunTask',
  'ThreadPool_RunTask',
]);

// The page's main thread and its workers; not compiler, GC or raster helpers, whose share
// swings with the machine's other work.
const SCRIPT_THREADS = /^(CrRendererMain|DedicatedWorker)/;

/**
 * Ends the trace and sums the CPU time of the page's tasks on its script threads between the
 * marks the bench page sets: start to laid out, laid out to rendered. A task across a mark
 * counts in proportion.
 */
async function cpuTimes(tracing) {
  const complete = new Promise(resolve =>
    tracing.once('Tracing.tracingComplete', resolve),
  );
  await tracing.send('Tracing.end');
  const { stream } = await complete;
  let text = '';
  for (;;) {
    const chunk = await tracing.send('IO.read', { handle: stream });
    text += chunk.base64Encoded
      ? Buffer.from(chunk.data, 'base64').toString()
      : chunk.data;
    if (chunk.eof) break;
  }
  await tracing.send('IO.close', { handle: stream });
  await tracing.detach();
  const events = JSON.parse(text).traceEvents ?? JSON.parse(text);
  const mark = name => events.find(e => e.name === name)?.ts;
  const [start, laidOut, rendered] = [
    'graph:start',
    'graph:laid-out',
    'graph:rendered',
  ].map(mark);
  const renderer = events.find(e => e.name === 'graph:start')?.pid;
  const scriptThreads = new Set(
    events
      .filter(
        e =>
          e.pid === renderer &&
          e.name === 'thread_name' &&
          SCRIPT_THREADS.test(e.args.name),
      )
      .map(e => e.tid),
  );
  // Top-level tasks of each thread, without the ones nested in another.
  const tasks = events
    .filter(
      e =>
        scriptThreads.has(e.tid) &&
        e.ph === 'X' &&
        TOP_LEVEL_TASKS.has(e.name) &&
        e.dur > 0,
    )
    .sort((a, b) => a.ts - b.ts);
  const ends = new Map();
  const outer = tasks.filter(e => {
    if (e.ts < (ends.get(e.tid) ?? 0)) return false;
    ends.set(e.tid, e.ts + e.dur);
    return true;
  });
  const cpu = (from, to) =>
    outer.reduce((sum, e) => {
      const overlap = Math.min(to, e.ts + e.dur) - Math.max(from, e.ts);
      return overlap > 0 ? sum + ((e.tdur ?? 0) * overlap) / e.dur : sum;
    }, 0) / 1000;
  return {
    layoutCpuMs: cpu(start, laidOut),
    renderCpuMs: cpu(laidOut, rendered),
  };
}

await withChromium(
  'bench-graph',
  { width: 1600, height: 1000 },
  async browser => {
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
      const tracing = await browser.newCDPSession(page);
      await tracing.send('Tracing.start', {
        traceConfig: { includedCategories: ['toplevel', 'blink.user_timing'] },
        transferMode: 'ReturnAsStream',
      });
      await page.goto(
        `http://bench.local/?nodes=${args.nodes}&edges=${args.edges}&theme=${args.theme}`,
      );
      const result = await page
        .waitForFunction(() => window.benchResult, null, { timeout: 120_000 })
        .then(handle => handle.jsonValue())
        .catch(error => {
          throw new Error(`${error.message}\n${errors.join('\n')}`);
        });
      Object.assign(result, await cpuTimes(tracing));
      results.push(result);
      if (args.screenshot && run === 1) {
        await page.screenshot({ path: args.screenshot });
        console.log(`screenshot: ${args.screenshot}`);
      }
      console.log(
        `run ${run}: ${result.nodes} nodes / ${
          result.edges
        } edges: layout ${Math.round(result.layoutMs)} ms (CPU ${Math.round(
          result.layoutCpuMs,
        )}), render ${Math.round(result.renderMs)} ms (CPU ${Math.round(
          result.renderCpuMs,
        )}), total ${Math.round(result.totalMs)} ms (${
          result.domNodes
        } nodes, ${result.domEdges} edges drawn)`,
      );
      // Search-to-node: pick a node from the search box and wait until its label is drawn.
      const searchStarted = performance.now();
      await page
        .getByRole('combobox', { name: /Find a node/ })
        .fill('istio-system/gw-3');
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
        `run ${run}: search to node ${Math.round(
          searchMs,
        )} ms (includes typing)`,
      );
      if (args.screenshot && run === 1) {
        await page.waitForTimeout(600);
        const focused = args.screenshot.replace(/(\.png)?$/, '-focus.png');
        await page.screenshot({ path: focused });
        console.log(`screenshot: ${focused}`);
      }
      await page.close();
    }
    const middle = key => median(results.map(r => r[key]));
    console.log(
      `median of ${results.length}: layout ${middle(
        'layoutMs',
      )} ms (CPU ${middle('layoutCpuMs')}), render ${middle(
        'renderMs',
      )} ms (CPU ${middle('renderCpuMs')}), layout+render ${middle(
        'totalMs',
      )} ms, search to node ${middle('searchMs')} ms`,
    );
  },
);
