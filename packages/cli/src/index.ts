import { main } from './main';

main(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  // `yarn <script>` runs in the repository root; INIT_CWD is where it was typed.
  cwd: process.env.INIT_CWD ?? process.cwd(),
  now: () => new Date(),
}).then(code => {
  process.exitCode = code;
});
