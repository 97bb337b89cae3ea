import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = require.resolve('@backstage/cli/bin/backstage-cli');

/** The ```yaml blocks of a Markdown file that configure the atlas. */
async function configBlocks(file: string): Promise<string[]> {
  const text = await readFile(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)]
    .map(match => match[1])
    .filter(block => /^ingressAtlas:/m.test(block));
}

/**
 * `backstage-cli config:check --strict` over the files given, as a deployment would run it:
 * every key must be declared by some package's config.d.ts, with the declared type. `--lax`
 * stands in for the environment variables the examples reference.
 */
async function configCheck(files: string[]): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      CLI,
      'config:check',
      '--strict',
      '--lax',
      ...files.flatMap(file => ['--config', file]),
    ],
    { cwd: ROOT },
  );
}

describe('documented configuration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ingress-atlas-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([['app-config.sandbox.yaml'], ['app-config.production.yaml']])(
    'app-config.yaml with %s passes config:check --strict',
    async file => {
      await expect(configCheck(['app-config.yaml', file])).resolves.toBe(
        undefined,
      );
    },
  );

  it.each([
    ['README.md'],
    ['plugins/scaffolder-backend-module-ingress-atlas/README.md'],
  ])('the examples in %s pass config:check --strict', async file => {
    const blocks = await configBlocks(file);
    expect(blocks.length).toBeGreaterThan(0);
    for (const [index, block] of blocks.entries()) {
      const example = path.join(dir, `${path.basename(file)}-${index}.yaml`);
      await writeFile(example, block);
      // Examples show the atlas's part, layered over a deployment's config.
      await expect(
        configCheck([
          'app-config.yaml',
          'app-config.production.yaml',
          example,
        ]),
      ).resolves.toBe(undefined);
    }
  });
});
