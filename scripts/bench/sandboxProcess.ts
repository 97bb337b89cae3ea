/*
 * The benchmark's clusters, in a process of their own so that serving large lists never
 * stalls the process that times the requests. Started by run.ts through fork(); reports
 * its addresses over IPC and stops when told to, or when its parent goes away.
 */
import { generateEstate, startSandbox } from '@ingress-atlas/sandbox';
import { runChild, stopWithParent } from '../shared/child';

export interface SandboxReady {
  type: 'ready';
  clusters: Record<string, { url: string; token: string }>;
  controlUrl: string;
  objects: number;
  startMs: number;
}

async function main() {
  const [clusters, services, latencyMs] = process.argv.slice(2).map(Number);
  const started = Date.now();
  const generated = generateEstate({ clusters, servicesPerCluster: services });
  const sandbox = await startSandbox({
    generated,
    withCloud: false,
    basePort: 0,
  });
  for (const cluster of sandbox.running) {
    cluster.faults.set({ latencyMs });
  }
  const objects = sandbox.running.reduce(
    (sum, c) => sum + c.store.types.reduce((n, t) => n + c.store.count(t), 0),
    0,
  );

  stopWithParent(sandbox);
  const ready: SandboxReady = {
    type: 'ready',
    clusters: Object.fromEntries(
      Object.entries(sandbox.clusters).map(([name, c]) => [
        name,
        { url: c.url, token: c.token },
      ]),
    ),
    controlUrl: sandbox.control.url,
    objects,
    startMs: Date.now() - started,
  };
  return ready;
}

runChild(main);
