import path from 'node:path';
import { loadEstates, startSandbox, Sandbox } from '@ingress-atlas/sandbox';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import type {
  CloudInventory,
  ClusterDescriptor,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { KubeCollector } from '@ingress-atlas/plugin-ingress-atlas-backend/src/collection/KubeCollector';
import { analyze } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/analyze';
import { demoEntities } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/fixtureEstates';
import {
  sandboxClusters,
  sandboxTencentCloud,
} from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/sandboxEstates';
import {
  applyManifests,
  expectedPods,
  registerNodes,
  runPods,
  startEstateCluster,
} from './estateOnServer';
import {
  REPO_ROOT,
  RealCluster,
  eventually,
  realServerAvailable,
} from './realCluster';

const SANDBOX = path.join(REPO_ROOT, 'examples/sandbox');
const ESTATE = 'tke-blog';
const NOW = '2026-11-22T00:00:00Z';

jest.setTimeout(240_000);

/**
 * The same estate read live from the sandbox's API stand-in and from a real API server gives the
 * same model: the collector and the engine do not depend on what only our stand-in does.
 */
(realServerAvailable() ? describe : describe.skip)(
  `${ESTATE} on the sandbox and on a real API server`,
  () => {
    let sandbox: Sandbox | undefined;
    let real: RealCluster | undefined;
    let descriptor: ClusterDescriptor;
    let clouds: CloudInventory[];
    let entities: Awaited<ReturnType<typeof demoEntities>>;
    const collector = KubeCollector.create();

    const collectReal = async (token: string) =>
      (
        await collector.collect(
          {
            descriptor: {
              ...descriptor,
              source: 'config',
              url: real!.info.server,
            },
            auth: { token, caData: real!.caData },
          },
          { signal: AbortSignal.timeout(30_000), now: () => new Date(NOW) },
        )
      ).inventory;

    const model = (inventory: ClusterInventory): AtlasModel =>
      analyze({ clusters: [inventory], clouds, entities, now: NOW });

    beforeAll(async () => {
      const {
        clusters: [{ spec, objects }],
      } = loadEstates(SANDBOX, [ESTATE]);
      descriptor = (await sandboxClusters()).find(
        i => i.cluster.name === ESTATE,
      )!.cluster;
      clouds = await sandboxTencentCloud();
      entities = await demoEntities();

      sandbox = await startSandbox({
        estatesDir: SANDBOX,
        clusters: [ESTATE],
        basePort: 0,
        withCloud: false,
      });

      real = await startEstateCluster(spec, objects);
      expect(await registerNodes(real.admin, spec)).toEqual([]);
      expect(await applyManifests(real.admin, objects)).toEqual([]);
      await runPods(real.admin, spec, await expectedPods(real.admin, objects));
      // The endpoints controller has caught up with the ready pods.
      await eventually('the blog Service to have two endpoints', async () => {
        const endpoints = await real!.admin.get(
          '/api/v1/namespaces/blog/endpoints/blog',
        );
        return endpoints.subsets?.[0]?.addresses?.length === 2
          ? true
          : undefined;
      });
    });

    afterAll(async () => {
      await sandbox?.stop();
      await real?.stop();
    });

    it('gives the same model', async () => {
      const fromSandbox = (
        await collector.collect(
          {
            descriptor: {
              ...descriptor,
              source: 'config',
              url: sandbox!.clusters[ESTATE].url,
            },
            auth: { token: 'sandbox-token' },
          },
          { signal: AbortSignal.timeout(30_000), now: () => new Date(NOW) },
        )
      ).inventory;
      const fromReal = await collectReal(real!.info.adminToken);
      // The sandbox serves some Gateway API kinds on every cluster; this estate declares no
      // Gateway API CRDs, so the real server serves none. A kind only one side serves must be
      // empty on that side.
      for (const [one, other] of [
        [fromReal, fromSandbox],
        [fromSandbox, fromReal],
      ]) {
        for (const kind of Object.keys(one.unavailable)) {
          expect([
            kind,
            other.objects[kind as keyof typeof other.objects] ?? [],
          ]).toEqual([kind, []]);
        }
      }
      expect(fromReal.rejected).toEqual([]);
      const servedByOneSide = new Set(
        Object.keys({
          ...fromReal.unavailable,
          ...fromSandbox.unavailable,
        }).filter(
          kind =>
            !(kind in fromReal.unavailable && kind in fromSandbox.unavailable),
        ),
      );
      const realModel = model(fromReal);
      expect(realModel.paths.map(p => p.id)).toEqual(
        expect.arrayContaining([expect.stringContaining('blog.example.com')]),
      );
      expect(normalised(realModel, servedByOneSide)).toEqual(
        normalised(model(fromSandbox), servedByOneSide),
      );
    });

    it('with a token that may not read Secrets, reports them unavailable and nothing else changes', async () => {
      const asAdmin = await collectReal(real!.info.adminToken);
      const asReader = await collectReal(real!.info.readerToken);
      const { secrets: forbidden, ...stillUnavailable } = asReader.unavailable;
      expect(forbidden).toMatch(/forbidden/);
      expect(stillUnavailable).toEqual(asAdmin.unavailable);
      expect(asReader.objects.secrets).toBeUndefined();
      expect(asAdmin.objects.secrets?.length).toBeGreaterThan(0);
      const { secrets: _secrets, ...others } = asAdmin.objects;
      expect(asReader.objects).toEqual(others);

      // In the model, only what is read from Secrets goes: the certificates' expiry.
      const readerModel = model(asReader);
      const adminModel = model(asAdmin);
      const expiries = (m: AtlasModel) =>
        JSON.stringify(m).match(/"notAfter":/g)?.length ?? 0;
      expect(expiries(adminModel)).toBeGreaterThan(0);
      expect(expiries(readerModel)).toBe(0);
      expect(
        readerModel.clusters[0].unavailableKinds.map(k => k.kind),
      ).toContain('secrets');
      const withoutSecrets = new Set(['secrets']);
      const withoutExpiry = (m: AtlasModel) =>
        JSON.parse(JSON.stringify(m), (key, value) =>
          key === 'notAfter' || key === 'daysToExpiry' ? undefined : value,
        );
      expect(normalised(readerModel, withoutSecrets)).toEqual(
        normalised(withoutExpiry(adminModel), withoutSecrets),
      );
    });
  },
);

/**
 * The model without what the two servers set differently by design; each field named here is
 * checked elsewhere or cannot be equal:
 * - when the model was made, and the cluster's URL;
 * - per cluster, the kinds only one side serves (the test checks that such a kind is empty on
 *   the side that serves it), and why a kind is unavailable (a real server says a kind is not
 *   served where the sandbox answers 404 for it);
 * - generated pod names (the ReplicaSet's hash and the pod's suffix are the server's);
 * - `dnsPolicy: ClusterFirst`, the default a real server fills in and the sandbox leaves out.
 */
function normalised(model: AtlasModel, servedByOneSide: Set<string>) {
  return JSON.parse(JSON.stringify(model), (key, value) => {
    if (key === 'generatedAt' || key === 'url') return undefined;
    if (key === 'unavailableKinds') {
      return (value as Array<{ kind: string }>)
        .map(({ kind }) => kind)
        .filter(kind => !servedByOneSide.has(kind));
    }
    if (key === 'dnsPolicy' && value === 'ClusterFirst') return undefined;
    if (
      value &&
      typeof value === 'object' &&
      value.kind === 'Pod' &&
      value.name
    ) {
      return {
        ...value,
        name: String(value.name).replace(
          /(-[a-z0-9]{8,10})?-[a-z0-9]{5}$/,
          '-<generated>',
        ),
      };
    }
    return value;
  });
}
