// What the bench scripts share: Debian's Chromium, headless, in a throw-away profile; medians.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `run` with a fresh browser context, then closes it and deletes its profile. */
export async function withChromium(name, viewport, run) {
  const profile = mkdtempSync(join(tmpdir(), `${name}-`));
  const browser = await chromium.launchPersistentContext(profile, {
    viewport,
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
