/*
 * The side of a sandbox process (scripts/bench/sandboxProcess.ts,
 * scripts/faults/sandboxProcess.ts) that its parent's forkSandbox (run.ts) expects.
 */

/** Stops `sandbox` and exits when the parent says `stop` or goes away, or a signal comes. */
export function stopWithParent(sandbox: { stop(): Promise<void> }) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().finally(() => process.exit(0));
  };
  process.on('message', message => message === 'stop' && stop());
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Sends what `main` answers to the parent (its `ready` message), or the error it throws. */
export function runChild(main: () => Promise<{ type: 'ready' }>) {
  main()
    .then(ready => process.send!(ready))
    .catch(error => {
      process.send?.({ type: 'error', message: String(error?.stack ?? error) });
      process.exit(1);
    });
}
