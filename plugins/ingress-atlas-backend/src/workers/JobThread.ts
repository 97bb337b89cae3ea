import type { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import os from 'node:os';
import {
  MessageChannel,
  MessagePort,
  ResourceLimits,
  Worker,
  isMainThread,
} from 'node:worker_threads';

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

/**
 * Sets the priority of the worker thread that calls it (on Linux a thread has a nice value of
 * its own; the worker starts below normal, see above). Raising it back takes the privilege to
 * (root, or CAP_SYS_NICE): without it the thread stays below normal. In the backend's own
 * thread (no worker could start) and elsewhere than Linux, nothing changes.
 */
export function setWorkerThreadPriority(priority: 'normal' | 'below-normal') {
  if (isMainThread) return;
  try {
    const thread = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(
      thread,
      priority === 'normal'
        ? os.constants.priority.PRIORITY_NORMAL
        : os.constants.priority.PRIORITY_BELOW_NORMAL,
    );
  } catch {
    // Not Linux, or not allowed.
  }
}

/** Where a runner's jobs go: a worker thread, or this thread through a message channel. */
export type JobPort = Pick<Worker, 'postMessage' | 'ref' | 'unref'>;

/**
 * The one way the backend runs jobs off its request thread: a worker thread (see
 * {@link startWorkerThread}) started on first use, whose `serve` posts `ready` first and then
 * answers the jobs posted to it. Where no worker can start, `serve` runs in this thread behind a
 * message channel, so that jobs travel the same way (and the start is not tried again). Every
 * message but `ready` goes to `receive`; a worker that stops after it started fails what it was
 * doing through `failed`, and the next job starts a new one.
 */
export class JobThread<Message> {
  #running?: Promise<{ port: JobPort; stop(): Promise<unknown> }>;
  #useWorker: boolean;

  constructor(
    private readonly options: {
      /** What the worker does, for the log and errors, e.g. "the analysis worker". */
      what: string;
      module: string;
      serve: (port: MessagePort) => void;
      resourceLimits?: ResourceLimits;
      isReady(message: Message): boolean;
      receive(message: Message): void;
      failed(error: Error): void;
      logger: LoggerService;
      useWorker?: boolean;
    },
  ) {
    this.#useWorker = options.useWorker ?? true;
  }

  /** The port to post jobs to, starting the worker (or the channel) when none runs. */
  async port(): Promise<JobPort> {
    this.#running ??= this.#useWorker ? this.#startWorker() : this.#startHere();
    return (await this.#running).port;
  }

  /** Ends the worker: its memory goes with it. The next job starts a new one. */
  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    await (await running)?.stop();
  }

  #startWorker(): Promise<{ port: JobPort; stop(): Promise<unknown> }> {
    const { what, logger } = this.options;
    const started = new Promise<{ port: JobPort; stop(): Promise<unknown> }>(
      resolve => {
        const worker = startWorkerThread(this.options);
        const running = { port: worker, stop: () => worker.terminate() };
        let ready = false;
        let stopped = false;
        worker.on('message', (message: Message) => {
          if (!this.options.isReady(message)) {
            this.options.receive(message);
          } else if (!ready) {
            ready = true;
            resolve(running);
          }
        });
        // An error is followed by the exit: the first one tells.
        const fail = (error: Error) => {
          if (stopped) return;
          stopped = true;
          if (this.#running === started) this.#running = undefined;
          void worker.terminate();
          if (ready) {
            this.options.failed(error);
            return;
          }
          this.#useWorker = false;
          logger.debug(
            `No worker thread for ${what}; running it in this thread`,
            {
              error: error.message,
            },
          );
          resolve((this.#running = this.#startHere()));
        };
        worker.on('error', fail);
        worker.on('exit', code =>
          fail(new Error(`${what} stopped (exit code ${code})`)),
        );
      },
    );
    return started;
  }

  #startHere(): Promise<{ port: JobPort; stop(): Promise<unknown> }> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (message: Message) => {
      if (!this.options.isReady(message)) this.options.receive(message);
    });
    port1.unref();
    this.options.serve(port2);
    port2.unref();
    return Promise.resolve({
      port: port1,
      stop: async () => {
        port1.close();
        port2.close();
      },
    });
  }
}
