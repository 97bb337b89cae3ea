import path from 'node:path';
import {
  checkFile,
  corpusFiles,
  CorpusFile,
} from './__testUtils__/conformanceCorpus';

/**
 * The conformance corpus (test/corpus): real manifests from public repositories, with what an
 * expert concludes from each. Expectations the analyzer is known to miss are listed as gaps in
 * their file and run as failing tests, so fixing one shows.
 */
describe('conformance corpus', () => {
  let files: CorpusFile[];
  beforeAll(async () => {
    files = await corpusFiles();
  });

  it('holds real manifests with their source and licence, at least 5 per category', () => {
    const byCategory = new Map<string, number>();
    for (const f of files) {
      expect(f.source).toMatch(/^[\w.-]+\/[\w.-]+\/.+@[0-9a-f]{40}/);
      expect(f.licence).not.toBe('');
      byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + 1);
    }
    for (const [category, n] of byCategory) {
      expect(`${category} ${n >= 5 ? 'has 5+' : n}`).toBe(`${category} has 5+`);
    }
  });

  it('meets every expectation but its known gaps, and at least 95% of all', async () => {
    const failures: string[] = [];
    const fixed: string[] = [];
    let met = 0;
    let total = 0;
    for (const file of files) {
      const name = `${path.basename(path.dirname(file.file))}/${path.basename(
        file.file,
      )}`;
      const checks = await checkFile(file);
      for (const c of checks) {
        total += 1;
        if (c.met) met += 1;
        const where = `${name}: ${c.label}`;
        if (!c.met && !c.gap) failures.push(`${where} (got ${c.detail})`);
        if (c.met && c.gap) fixed.push(`${where} is met: remove its gap`);
      }
      // A gap whose label matches no expectation would excuse nothing and go unnoticed.
      for (const gap of Object.keys(file.expectations.gaps ?? {})) {
        if (!checks.some(c => c.label === gap))
          failures.push(`${name}: gap "${gap}" names no expectation`);
      }
    }
    expect(failures).toEqual([]);
    expect(fixed).toEqual([]);
    expect(total).toBeGreaterThan(0);
    expect(met / total).toBeGreaterThanOrEqual(0.95);
  });
});
