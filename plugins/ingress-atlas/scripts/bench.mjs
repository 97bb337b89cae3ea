// What the bench scripts share: their options, Debian's Chromium, headless (launched as the
// browser tests do, test/chromium.json), in a throw-away profile; medians.
import { chromium as playwright } from 'playwright-core';
import chromium from '../../../test/chromium.json' with { type: 'json' };
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The command line's `--name value` options, each a string with its default (undefined for
 * none): `benchOptions({ runs: '5' })` reads `--runs 3`.
 */
export function benchOptions(defaults) {
  const options = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [
      name,
      { type: 'string', default: value },
    ]),
  );
  return parseArgs({ options }).values;
}

/** Runs `run` with a fresh browser context, then closes it and deletes its profile. */
export async function withChromium(name, viewport, run) {
  const profile = mkdtempSync(join(tmpdir(), `${name}-`));
  const browser = await playwright.launchPersistentContext(profile, {
    viewport,
    executablePath: process.env.CHROMIUM_PATH ?? chromium.executablePath,
    args: chromium.args,
  });
  try {
    return await run(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The middle of some timings, rounded to whole milliseconds. */
export function median(values) {
  return Math.round(
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)],
  );
}
