/*
 * Where a CPU profile's time went, by function and by file:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs scripts/bench/profile.ts \
 *     <file.cpuprofile> [--from <ms>] [--to <ms>] [--top 40] [--match <text>]
 *
 * --from/--to limit the samples to a window (ms since the profile started; run.ts logs the
 * refresh window). "self" is time spent in the function itself, "total" includes what it
 * called (each sample counted once per function on its stack). Line numbers are those of the
 * code as transformed on load, not of the TypeScript source: go by function names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const REPO_ROOT = path.resolve(__dirname, '../..');

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, '')
    .replace(`${REPO_ROOT}/`, '')
    .replace(/^.*node_modules\//, '~/');
  return `${functionName || '(anonymous)'} ${
    file ? `${file}:${lineNumber + 1}` : ''
  }`.trim();
}

function fileName(node: ProfileNode): string {
  return (
    frameName(node).split(' ').slice(1).join(' ').replace(/:\d+$/, '') ||
    node.callFrame.functionName
  );
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      top: { type: 'string', default: '40' },
      match: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    throw new Error(
      'Usage: profile.ts <file.cpuprofile> [--from ms] [--to ms] [--top N] [--match text]',
    );
  }
  const profile: CpuProfile = JSON.parse(
    fs.readFileSync(positionals[0], 'utf8'),
  );
  const from = values.from === undefined ? -Infinity : Number(values.from);
  const to = values.to === undefined ? Infinity : Number(values.to);
  const top = Number(values.top);

  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const ours = (name: string) => /(^|\s)(plugins|packages)\//.test(name);
  // Consecutive samples inside the same outermost call of our code: the event loop was
  // blocked by that call for that long.
  const stretches: Array<{
    key: string;
    inner: Map<string, number>;
    us: number;
    atMs: number;
  }> = [];
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) =>
    map.set(key, (map.get(key) ?? 0) + us);
  let elapsed = 0;
  let counted = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsed += profile.timeDeltas[i];
    const us = profile.timeDeltas[i + 1] ?? 0;
    const atMs = elapsed / 1000;
    if (atMs < from || atMs > to) continue;
    counted += us;
    const leaf = byId.get(profile.samples[i])!;
    add(self, frameName(leaf), us);
    add(selfByFile, fileName(leaf), us);
    const seen = new Set<string>();
    const stack: string[] = [];
    for (
      let id: number | undefined = leaf.id;
      id !== undefined;
      id = parent.get(id)
    ) {
      const name = frameName(byId.get(id)!);
      stack.push(name);
      if (!seen.has(name)) {
        seen.add(name);
        add(total, name, us);
      }
    }
    const ourFrames = stack.filter(ours).reverse();
    const [outer, next = outer] = ourFrames;
    const last = stretches[stretches.length - 1];
    if (
      outer &&
      last?.key === outer &&
      last.atMs + last.us / 1000 >= atMs - 5
    ) {
      last.us += us;
      add(last.inner, next, us);
    } else if (
      !outer &&
      last &&
      /^\((garbage collector|program)\)/.test(frameName(leaf)) &&
      last.atMs + last.us / 1000 >= atMs - 5
    ) {
      // The engine's own work inside a call of ours (GC) blocks the loop as much.
      last.us += us;
    } else if (outer) {
      stretches.push({ key: outer, inner: new Map([[next, us]]), us, atMs });
    }
  }

  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const pct = (us: number) =>
    `${((us / counted) * 100).toFixed(1).padStart(5)}%`;
  const print = (
    title: string,
    map: Map<string, number>,
    filter = (_: string) => true,
  ) => {
    process.stdout.write(`\n${title}\n`);
    [...map.entries()]
      .filter(([name]) => filter(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([name, us]) =>
        process.stdout.write(`${ms(us)} ${pct(us)}  ${name}\n`),
      );
  };
  process.stdout.write(
    `Profile ${((profile.endTime - profile.startTime) / 1e6).toFixed(
      1,
    )} s; window ${(counted / 1e6).toFixed(1)} s of samples\n`,
  );
  print('Self time by function', self);
  print('Self time by file', selfByFile);
  process.stdout.write(
    '\nLongest stretches inside one call of our code (event loop blocked)\n',
  );
  [...stretches]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .forEach(({ key, inner, us, atMs }) => {
      const [mostly] = [...inner.entries()].sort((a, b) => b[1] - a[1]);
      const detail = mostly[0] === key ? '' : `, mostly in ${mostly[0]}`;
      process.stdout.write(
        `${ms(us)} at ${(atMs / 1000).toFixed(1)} s  ${key}${detail}\n`,
      );
    });
  const match = values.match;
  print(
    `Total time by function${match ? ` (matching "${match}")` : ' (our code)'}`,
    total,
    name => (match ? name.includes(match) : ours(name)),
  );
}

main();
