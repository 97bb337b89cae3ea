/*
 * Never crash on real input: runs the manifest reader and the analyzer over every YAML and JSON
 * file of whole repositories and counts files read, skipped (with why) and crashes. Run by hand
 * on local clones, not by the tests (CI has no public code hosts):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs test/corpus/crashScan.ts <repo>...
 *
 * A <repo> is a working tree or a bare git directory (its HEAD is read).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../plugins/ingress-atlas-backend/src/engine';
import {
  ManifestError,
  parseManifests,
  toInventory,
} from '../../plugins/ingress-atlas-backend/src/manifests';

const MANIFEST = /\.(ya?ml|json)$/i;

/** A mirror is `<owner>+<name>/repo`; a clone is named after its repository. */
const repoName = (repo: string) =>
  path.basename(repo) === 'repo'
    ? path.basename(path.dirname(repo))
    : path.basename(repo);

async function* filesOf(repo: string): AsyncGenerator<[string, string]> {
  const bare = await fs
    .stat(path.join(repo, 'HEAD'))
    .then(() => true)
    .catch(() => false);
  const list = bare
    ? execFileSync(
        'git',
        ['-C', repo, 'ls-tree', '-r', '--name-only', 'HEAD'],
        { maxBuffer: 1 << 28 },
      )
    : execFileSync('git', ['-C', repo, 'ls-files'], { maxBuffer: 1 << 28 });
  for (const file of list
    .toString()
    .split('\n')
    .filter(f => MANIFEST.test(f))) {
    const text = bare
      ? execFileSync('git', ['-C', repo, 'show', `HEAD:${file}`], {
          maxBuffer: 1 << 28,
        }).toString()
      : await fs.readFile(path.join(repo, file), 'utf8');
    yield [file, text];
  }
}

async function main() {
  const repos = process.argv.slice(2);
  const totals = {
    files: 0,
    withObjects: 0,
    objects: 0,
    skippedDocuments: 0,
    invalid: 0,
    crashes: 0,
  };
  const reasons = new Map<string, number>();
  const crashes: string[] = [];
  for (const repo of repos) {
    for await (const [file, text] of filesOf(repo)) {
      totals.files += 1;
      const where = `${repoName(repo)}:${file}`;
      let objects;
      try {
        objects = parseManifests(text, where, s => {
          totals.skippedDocuments += 1;
          const reason = s.reason.includes('has no metadata')
            ? 'skipped: apiVersion and kind but no metadata (kustomize, kubeconfig, tool configs)'
            : `skipped: ${s.reason}`;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }).map(o => o.object);
      } catch (error) {
        if (error instanceof ManifestError) {
          // Invalid YAML (Helm templates, test inputs meant to fail): kubectl refuses it too.
          totals.invalid += 1;
          const reason = `invalid: ${error.message
            .replace(/^.*?: invalid YAML: /, '')
            .slice(0, 60)}`;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          continue;
        }
        totals.crashes += 1;
        crashes.push(
          `${where}: parse: ${(error as Error).stack
            ?.split('\n')
            .slice(0, 3)
            .join(' | ')}`,
        );
        continue;
      }
      if (objects.length === 0) continue;
      totals.withObjects += 1;
      totals.objects += objects.length;
      try {
        const { inventory } = toInventory(
          objects,
          { name: 'scan', source: 'manifests', provider: 'generic' },
          '2026-12-01T00:00:00Z',
        );
        analyze({ clusters: [inventory] });
      } catch (error) {
        totals.crashes += 1;
        crashes.push(
          `${where}: analyze: ${(error as Error).stack
            ?.split('\n')
            .slice(0, 3)
            .join(' | ')}`,
        );
      }
    }
  }
  console.log(`repositories: ${repos.map(repoName).join(', ')}`);
  console.log(
    `files: ${totals.files}; with Kubernetes objects: ${totals.withObjects} (${totals.objects} objects); documents skipped as not objects: ${totals.skippedDocuments}; invalid YAML files: ${totals.invalid}; crashes: ${totals.crashes}`,
  );
  for (const [reason, n] of [...reasons]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)) {
    console.log(`  ${String(n).padStart(6)}  ${reason}`);
  }
  for (const crash of crashes.slice(0, 20)) console.log(`CRASH ${crash}`);
  process.exitCode = totals.crashes ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
