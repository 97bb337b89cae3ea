import { FINDINGS_CATALOGUE, FINDING_CODES } from './catalogue';

/** `docs/findings.md`: the catalogue as a page, one section per code. */
export function renderFindingsMarkdown(): string {
  const lines = [
    '# Findings',
    '',
    '<!-- Rendered from plugins/ingress-atlas-common/src/findings/catalogue.ts by `yarn docs:findings`; edit the catalogue, not this file. -->',
    '',
    'What each finding code of Ingress Atlas means and what to do about it. Each finding in the',
    'portal, the API and the CLI also says which objects it is about and what to change there.',
    '',
    '| code | severity | title |',
    '| --- | --- | --- |',
    ...FINDING_CODES.map(code => {
      const { title, severities, docsAnchor } = FINDINGS_CATALOGUE[code];
      return `| [${code}](#${docsAnchor}) | ${severities.join(
        ', ',
      )} | ${title} |`;
    }),
  ];
  for (const code of FINDING_CODES) {
    const { title, severities, description, fix } = FINDINGS_CATALOGUE[code];
    lines.push(
      '',
      `## ${code}`,
      '',
      `**${title}** (${severities.join(' or ')})`,
      '',
      description,
      '',
      `**Fix:** ${fix}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
