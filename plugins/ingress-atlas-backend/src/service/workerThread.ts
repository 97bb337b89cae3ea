import { MessagePort, ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Runs in a worker thread: calls `serve(parentPort)` of `module`. On Linux a thread has a nice
 * value of its own, and the worker lowers its priority so that the thread answering requests
 * goes first (elsewhere it keeps the process's). From source (`.ts`), the worker needs the
 * same on-the-fly transform as the backend: `backstage-cli package start` passes it on
 * through the inherited `--require`, jest does not, so it is registered here when missing.
 * Once built, the module is plain JavaScript.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const path = require('node:path');
try {
  const os = require('node:os');
  const thread = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  os.setPriority(thread, os.constants.priority.PRIORITY_BELOW_NORMAL);
} catch {}
if (workerData.module.endsWith('.ts') && !require.extensions['.ts']) {
  require(require.resolve('@backstage/cli/config/nodeTransform.cjs', {
    paths: [path.dirname(workerData.module)],
  }));
}
require(workerData.module)[workerData.serve](parentPort);
`;

/**
 * A worker thread, at a lower priority than the backend's own thread, that serves jobs with
 * `serve`, a function exported under its own name by `module` (that module's `__filename`).
 * Passing the function, not its name, keeps it in a built package.
 */
export function startWorkerThread(options: {
  module: string;
  serve: (port: MessagePort) => void;
  resourceLimits?: ResourceLimits;
}): Worker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module: options.module, serve: options.serve.name },
    resourceLimits: options.resourceLimits,
  });
  worker.unref();
  return worker;
}
