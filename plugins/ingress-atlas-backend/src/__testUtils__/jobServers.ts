import type { MessagePort } from 'node:worker_threads';

/** This module, for a worker thread to load (see `startWorkerThread`). */
export const JOB_SERVERS_MODULE = __filename;

/**
 * Answers each job with `echo: <job>`; the job `exit` ends its thread with exit code 3, as a
 * worker that runs out of memory or crashes would.
 */
export function serveEchoJobs(port: MessagePort) {
  port.on('message', (job: string) => {
    if (job === 'exit') process.exit(3);
    port.postMessage(`echo: ${job}`);
  });
  port.postMessage('ready');
}
