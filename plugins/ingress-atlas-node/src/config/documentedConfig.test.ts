import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// Each check compiles every package's config.d.ts: seconds, more on a busy machine.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = require.resolve('@backstage/cli/bin/backstage-cli');

/** The READMEs of the repository and of each package. */
const READMES = ['README.md', 'plugins', 'packages'].flatMap(entry =>
  entry.endsWith('.md')
    ? [entry]
    : readdirSync(path.join(ROOT, entry))
        .map(name => path.join(entry, name, 'README.md'))
        .filter(file => existsSync(path.join(ROOT, file))),
);

/** The ```yaml blocks of a Markdown file that are app-config (not Kubernetes objects). */
function configBlocks(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)]
    .map(match => match[1])
    .filter(block => !/^(apiVersion|kind):/m.test(block));
}

const WITH_EXAMPLES = READMES.filter(file => configBlocks(file).length > 0);

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

  it('finds the config examples of the READMEs', () => {
    expect(WITH_EXAMPLES).toEqual(
      expect.arrayContaining([
        'README.md',
        'plugins/scaffolder-backend-module-ingress-atlas/README.md',
      ]),
    );
  });

  it.each(WITH_EXAMPLES)(
    'the config examples in %s pass config:check --strict',
    async file => {
      const blocks = configBlocks(file);
      for (const [index, block] of blocks.entries()) {
        const example = path.join(
          dir,
          `${file.replace(/\W/g, '-')}-${index}.yaml`,
        );
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
    },
  );
});
