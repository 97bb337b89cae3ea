/*
 * What the measuring runs (scripts/bench, scripts/faults) share around their main: a log line
 * with the run's name and the time, cleanups that run once whatever ends the run, and the
 * sandbox in a child process of its own.
 */
import { ChildProcess, fork } from 'node:child_process';
import { stopChild } from '../bench/backend';

/** Everything started, stopped in reverse order once, whatever ends the run. */
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(fn: () => Promise<void>) {
  cleanups.push(fn);
}

function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      await fn().catch(error => console.error(`Cleanup failed: ${error}`));
    }
  })();
  return cleaning;
}

/**
 * Runs `main` and then the cleanups, also on SIGINT and SIGTERM; when `main` throws, prints
 * the error and exits with `failureCode`.
 */
export function runMain(main: () => Promise<void>, failureCode: number) {
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));
  main()
    .then(cleanup, async error => {
      console.error(error);
      process.exitCode = failureCode;
      await cleanup();
    })
    .then(() => process.exit());
}

/** A log to stderr, each line headed by `name` and the time. */
export function createLog(name: string) {
  return (message: string) =>
    process.stderr.write(
      `[${name} ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
    );
}

/**
 * Forks `script` (a sandbox process, see child.ts) with the sources transformed on load, and
 * stops it at cleanup. `ready` is its `ready` message; it rejects when the process reports
 * an error or exits first.
 */
export function forkSandbox<Ready>(
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): { child: ChildProcess; ready: Promise<Ready> } {
  const child = fork(script, args, {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ...nodeArgs,
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup(() => stopChild(child));
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (message: any) => {
      if (message?.type === 'ready') resolve(message);
      if (message?.type === 'error')
        reject(new Error(`Sandbox failed: ${message.message}`));
    });
    child.once('exit', code =>
      reject(new Error(`The sandbox exited (code ${code})`)),
    );
  });
  return { child, ready };
}

/** The integer value of option `--name`, at least `min`; an error that names the option if not. */
export function integerOption(
  name: string,
  value: string | undefined,
  min: number,
): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`--${name} must be an integer >= ${min}, got "${value}"`);
  }
  return n;
}
