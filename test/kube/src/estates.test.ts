import path from 'node:path';
import { loadEstates, startSandbox, Sandbox } from '@ingress-atlas/sandbox';
import { Atlas, normalised, servedByOneSide } from './atlas';
import {
  applyManifests,
  assignLoadBalancers,
  endpointsSettled,
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
 * exist) and the scheduler places them on the estate's nodes, taints and all. Read live from
 * there, the estate gives the atlas the same model as the sandbox's stand-in does: the
 * collector and the engine do not depend on what only our stand-in does.
 */
(realServerAvailable() ? describe : describe.skip)(
  'the sandbox estates on a real API server',
  () => {
    let sandbox: Sandbox | undefined;
    let atlas: Atlas;

    beforeAll(async () => {
      atlas = await Atlas.create();
      sandbox = await startSandbox({
        estatesDir: SANDBOX,
        basePort: 0,
        withCloud: false,
      });
    }, 60_000);

    afterAll(() => sandbox?.stop(), 30_000);

    it.each(clusters.map(c => [c.spec.name, c] as const))(
      '%s applies cleanly, its workloads run and it gives the same model',
      async (name, { spec, objects }) => {
        const cluster: RealCluster = await startEstateCluster(spec, objects);
        try {
          const client = cluster.admin;
          expect(await registerNodes(client, spec)).toEqual([]);
          expect(await applyManifests(client, objects)).toEqual([]);
          expect(await assignLoadBalancers(client, spec)).toEqual([]);

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
          await endpointsSettled(client);

          const fromReal = await atlas.collect(name, {
            url: cluster.info.server,
            token: cluster.info.adminToken,
            caData: cluster.caData,
          });
          const fromSandbox = await atlas.collect(name, {
            url: sandbox!.clusters[name].url,
            token: sandbox!.clusters[name].token,
          });
          expect(fromReal.rejected).toEqual([]);
          // The sandbox serves Istio's kinds on every cluster (Gateway API kinds only with
          // their CRDs); a real server only where the estate's CRDs are installed. A kind
          // only one side serves must be empty on the side that serves it.
          const oneSide = servedByOneSide(fromReal, fromSandbox);
          for (const kind of oneSide) {
            const served =
              kind in fromReal.unavailable ? fromSandbox : fromReal;
            expect([
              kind,
              served.objects[kind as keyof typeof served.objects],
            ]).toEqual([kind, []]);
          }
          const realModel = atlas.model(fromReal);
          expect(normalised(realModel, oneSide)).toEqual(
            normalised(atlas.model(fromSandbox), oneSide),
          );
          // The comparison is not of two empty pictures (but for the clusters created empty,
          // whose manifests hold no Service).
          expect(realModel.clusters[0].status).toBe('ok');
          if (objects.some(o => o.kind === 'Service')) {
            expect(
              realModel.gateways.length + realModel.entries.length,
            ).toBeGreaterThan(0);
          }
        } finally {
          await cluster.stop();
        }
      },
      240_000,
    );
  },
);
