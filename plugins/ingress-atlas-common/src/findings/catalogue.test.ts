import fs from 'node:fs';
import path from 'node:path';
import { FINDINGS_CATALOGUE, FINDING_CODES, isFindingCode } from './catalogue';
import { renderFindingsMarkdown } from './markdown';

/** The id GitHub gives a Markdown heading (github-slugger): lower case, punctuation dropped. */
function headingId(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('findings catalogue', () => {
  it('is what docs/findings.md shows (run yarn docs:findings after changing it)', () => {
    const page = fs.readFileSync(
      path.resolve(__dirname, '../../../../docs/findings.md'),
      'utf8',
    );
    expect(page).toBe(renderFindingsMarkdown());
  });

  it('gives each code a section whose heading makes its docs anchor', () => {
    const page = renderFindingsMarkdown();
    for (const code of FINDING_CODES) {
      const { docsAnchor } = FINDINGS_CATALOGUE[code];
      expect(headingId(code)).toBe(docsAnchor);
      expect(page).toContain(`\n## ${code}\n`);
      expect(page).toContain(`(#${docsAnchor})`);
    }
  });

  it('describes every code fully, with stable upper-case names', () => {
    for (const code of FINDING_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      const definition = FINDINGS_CATALOGUE[code];
      expect(definition.title).not.toBe('');
      expect(definition.description).not.toBe('');
      expect(definition.fix).not.toBe('');
      expect(definition.severities.length).toBeGreaterThan(0);
    }
    expect(isFindingCode('APISERVER_PUBLIC')).toBe(true);
    expect(isFindingCode('toString')).toBe(false);
  });
});
