import path from 'node:path';
import { loadEstates } from '@ingress-atlas/sandbox';
import {
  applyManifests,
  expectedPods,
  refOf,
  registerNodes,
  runPods,
  startEstateCluster,
} from './estateOnServer';
import { REPO_ROOT, RealCluster, realServerAvailable } from './realCluster';

const SANDBOX = path.join(REPO_ROOT, 'examples/sandbox');
const { clusters } = loadEstates(SANDBOX);

/**
 * Every sandbox estate could exist: a real API server (with its controller manager and
 * scheduler) accepts each manifest with server-side apply and each status through the status
 * subresource, the controllers create every workload's pods (so the ServiceAccounts they name
 * exist) and the scheduler places them on the estate's nodes, taints and all.
 */
(realServerAvailable() ? describe : describe.skip)(
  'the sandbox estates on a real API server',
  () => {
    it.each(clusters.map(c => [c.spec.name, c] as const))(
      '%s applies cleanly and its workloads run',
      async (_name, { spec, objects }) => {
        const cluster: RealCluster = await startEstateCluster(spec, objects);
        try {
          const client = cluster.admin;
          expect(await registerNodes(client, spec)).toEqual([]);
          expect(await applyManifests(client, objects)).toEqual([]);

          // What the manifests say about status is what the server now holds.
          for (const object of objects.filter(o => o.status)) {
            const stored = await client.get(await client.pathOf(object));
            expect({ [refOf(object)]: stored.status }).toMatchObject({
              [refOf(object)]: object.status,
            });
          }

          const expected = await expectedPods(client, objects);
          const running = await runPods(client, spec, expected);
          for (const [workload, count] of expected) {
            expect([workload, running.get(workload)?.length]).toEqual([
              workload,
              count,
            ]);
          }
        } finally {
          await cluster.stop();
        }
      },
      240_000,
    );
  },
);
