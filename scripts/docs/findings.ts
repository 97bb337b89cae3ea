/*
 * Writes docs/findings.md from the findings catalogue (yarn docs:findings). A test in
 * @ingress-atlas/plugin-ingress-atlas-common fails when the checked-in page is not current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderFindingsMarkdown } from '../../plugins/ingress-atlas-common/src/findings/markdown';

const target = path.resolve(__dirname, '../../docs/findings.md');
fs.writeFileSync(target, renderFindingsMarkdown());
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
