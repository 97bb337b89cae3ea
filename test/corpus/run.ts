/* `yarn corpus`: how much of the corpus's expectations the analyzer meets, per category. */
import path from 'node:path';
import { checkCorpus } from '../../plugins/ingress-atlas-backend/src/engine/__testUtils__/conformanceCorpus';

async function main() {
  const verbose = process.argv.includes('-v');
  const { results, categories } = await checkCorpus();
  for (const { file, checks } of results) {
    const missed = checks.filter(c => !c.met);
    if (!verbose && missed.length === 0) continue;
    console.log(
      `${path.relative(process.cwd(), file.file)}: ${
        checks.length - missed.length
      }/${checks.length}`,
    );
    for (const c of verbose ? checks : missed) {
      console.log(
        `  ${c.met ? 'ok  ' : 'MISS'} ${c.label}${
          c.met ? '' : ` (got ${c.detail ?? '-'})`
        }${c.gap ? ` [known gap: ${c.gap}]` : ''}`,
      );
    }
  }
  let met = 0;
  let total = 0;
  let files = 0;
  for (const c of categories) {
    console.log(
      `${c.category.padEnd(22)} ${String(c.files).padStart(3)} files  ${
        c.met
      }/${c.total} expectations met`,
    );
    met += c.met;
    total += c.total;
    files += c.files;
  }
  console.log(
    `${'all'.padEnd(22)} ${String(files).padStart(
      3,
    )} files  ${met}/${total} expectations met (${(
      (100 * met) /
      Math.max(total, 1)
    ).toFixed(1)}%)`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
