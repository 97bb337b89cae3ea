/*
 * The benchmark's clusters (sandboxProcess.ts) in a child process of their own, started for a
 * run and stopped at its cleanup, with the sandbox's request counts.
 */
import os from 'node:os';
import path from 'node:path';
import type { SandboxReady } from './sandboxProcess';
import { forkSandbox } from '../shared/run';

/** Requests the sandbox's API servers answered, per cluster and verb. */
export interface Stats {
  clusters: Record<
    string,
    { requests: number; byVerb: Record<string, number> }
  >;
  totalClusterRequests: number;
}

/** K generated clusters of M Services, L ms added to every API request. */
export async function startSandboxProcess(options: {
  clusters: number;
  services: number;
  latencyMs: number;
}) {
  const { child, ready: started } = forkSandbox<SandboxReady>(
    path.join(__dirname, 'sandboxProcess.ts'),
    [
      String(options.clusters),
      String(options.services),
      String(options.latencyMs),
    ],
    ['--max-old-space-size=16384'],
  );
  // The sandbox stands in for the clusters' API servers, which run on machines of their own:
  // here it shares the CPU with the backend and the load client, and yields it to them.
  os.setPriority(child.pid!, os.constants.priority.PRIORITY_BELOW_NORMAL);
  const ready = await started;
  return {
    ...ready,
    pid: child.pid!,
    stats: async (): Promise<Stats> =>
      (await fetch(`${ready.controlUrl}/stats`)).json(),
  };
}
