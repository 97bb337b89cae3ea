import { mockServices } from '@backstage/backend-test-utils';
import { JOB_SERVERS_MODULE, serveEchoJobs } from '../__testUtils__/jobServers';
import { JobThread } from './JobThread';

jest.setTimeout(60_000);

describe('JobThread', () => {
  const start = (module: string) => {
    const received: string[] = [];
    const failures: string[] = [];
    const logger = mockServices.logger.mock();
    const thread = new JobThread<string>({
      what: 'the echo worker',
      module,
      serve: serveEchoJobs,
      isReady: message => message === 'ready',
      receive: message => received.push(message),
      failed: error => failures.push(error.message),
      logger,
    });
    const answer = async (job: string) => {
      const count = received.length;
      (await thread.port()).postMessage(job);
      await waitFor(() => received.length > count);
      return received[count];
    };
    return { thread, received, failures, logger, answer };
  };

  it('runs jobs in a worker thread, whose ready message is not a job', async () => {
    const { thread, received, logger, answer } = start(JOB_SERVERS_MODULE);
    try {
      expect(await answer('one')).toBe('echo: one');
      expect(await answer('two')).toBe('echo: two');
      expect(received).toEqual(['echo: one', 'echo: two']);
      expect(logger.debug).not.toHaveBeenCalled();
    } finally {
      await thread.stop();
    }
  });

  it('runs them in this thread, the same way, when no worker can start', async () => {
    const { thread, logger, answer } = start('/nonexistent/jobs.js');
    try {
      expect(await answer('one')).toBe('echo: one');
      expect(logger.debug).toHaveBeenCalledWith(
        'No worker thread for the echo worker; running it in this thread',
        expect.objectContaining({
          error: expect.stringContaining('nonexistent'),
        }),
      );
      // The start is not tried again.
      expect(await answer('two')).toBe('echo: two');
      expect(logger.debug).toHaveBeenCalledTimes(1);
    } finally {
      await thread.stop();
    }
  });

  it('fails the work of a worker that stops, and starts a new one for the next job', async () => {
    const { thread, failures, answer } = start(JOB_SERVERS_MODULE);
    try {
      (await thread.port()).postMessage('exit');
      await waitFor(() => failures.length > 0);
      expect(failures).toEqual(['the echo worker stopped (exit code 3)']);
      expect(await answer('again')).toBe('echo: again');
    } finally {
      await thread.stop();
    }
  });
});

async function waitFor(test: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
