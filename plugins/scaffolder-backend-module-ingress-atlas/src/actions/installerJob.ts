import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Clock } from '../clock';
import type { ConnectedCluster } from '../clusters';
import { readObject } from '../kube';
import { ISTIO_NAMESPACE } from '../istio';

/** What an install has brought about so far, read from the cluster. */
export interface InstallState {
  /** Everything the install should bring is there and Ready. */
  done: boolean;
  /** What is there, as the timeout's message says it. */
  seen: string;
}

/**
 * Waits for the installer Job (`installerObjects`) to complete and for what it installs to be
 * there (`installed`); fails with the Job's failure, or at the timeout with what it saw. An
 * IstioOperator object alone installs nothing: the step ends only once the cluster shows the
 * install.
 */
export async function waitForInstaller(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  cluster: ConnectedCluster,
  options: {
    job: string;
    timeoutSeconds: number;
    clock: Clock;
    installed: () => Promise<InstallState>;
  },
): Promise<InstallState> {
  const { clock, job: name } = options;
  const deadline = clock.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const [job, state] = await Promise.all([
      readObject(cluster, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        namespace: ISTIO_NAMESPACE,
        name,
      }),
      options.installed(),
    ]);
    const failed = (job?.status?.conditions ?? []).find(
      (c: { type: string; status: string }) =>
        c.type === 'Failed' && c.status === 'True',
    );
    if (failed) {
      throw new Error(
        `The installer Job ${ISTIO_NAMESPACE}/${name} failed (${
          failed.message ?? failed.reason ?? 'no reason given'
        }); kubectl logs -n ${ISTIO_NAMESPACE} job/${name} says why`,
      );
    }
    const completed = (job?.status?.succeeded ?? 0) > 0;
    if (completed && state.done) {
      ctx.logger.info(state.seen, { cluster: cluster.name });
      return state;
    }
    if (clock.now() >= deadline) {
      throw new Error(
        `The install was not done ${
          options.timeoutSeconds
        }s after the installer started on cluster ${
          cluster.name
        }: Job ${name} ${completed ? 'completed' : 'not completed'}, ${
          state.seen
        }`,
      );
    }
    await clock.sleep(2000, ctx.signal);
  }
}
