import path from 'node:path';
import { loadEstates } from '@ingress-atlas/sandbox';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Atlas, normalised } from './atlas';
import {
  applyManifests,
  expectedPods,
  registerNodes,
  runPods,
  startEstateCluster,
} from './estateOnServer';
import { REPO_ROOT, RealCluster, realServerAvailable } from './realCluster';

const SANDBOX = path.join(REPO_ROOT, 'examples/sandbox');
const ESTATE = 'tke-blog';

/**
 * RBAC on a real server: an identity that may read everything but Secrets (start.sh's reader
 * token) gets the same inventory without Secrets, which are reported unavailable, and a model
 * that lacks only what Secrets tell: the certificates' expiry.
 */
(realServerAvailable() ? describe : describe.skip)(
  `${ESTATE} on a real API server, read without access to Secrets`,
  () => {
    let real: RealCluster | undefined;
    let atlas: Atlas;
    let rejected: unknown[] = [];

    beforeAll(async () => {
      const {
        clusters: [{ spec, objects }],
      } = loadEstates(SANDBOX, [ESTATE]);
      atlas = await Atlas.create();
      real = await startEstateCluster(spec, objects);
      rejected = [
        ...(await registerNodes(real.admin, spec)),
        ...(await applyManifests(real.admin, objects)),
      ];
      await runPods(real.admin, spec, await expectedPods(real.admin, objects));
    }, 240_000);

    afterAll(() => real?.stop(), 30_000);

    it('reports Secrets unavailable and nothing else changes', async () => {
      expect(rejected).toEqual([]);
      const collect = (token: string) =>
        atlas.collect(ESTATE, {
          url: real!.info.server,
          token,
          caData: real!.caData,
        });
      const asAdmin = await collect(real!.info.adminToken);
      const asReader = await collect(real!.info.readerToken);

      const { secrets: forbidden, ...stillUnavailable } = asReader.unavailable;
      expect(forbidden).toMatch(/forbidden/);
      expect(stillUnavailable).toEqual(asAdmin.unavailable);
      expect(asReader.objects.secrets).toBeUndefined();
      expect(asAdmin.objects.secrets?.length).toBeGreaterThan(0);
      const { secrets: _secrets, ...others } = asAdmin.objects;
      expect(asReader.objects).toEqual(others);

      const readerModel = atlas.model(asReader);
      const adminModel = atlas.model(asAdmin);
      const expiries = (m: AtlasModel) =>
        JSON.stringify(m).match(/"notAfter":/g)?.length ?? 0;
      expect(expiries(adminModel)).toBeGreaterThan(0);
      expect(expiries(readerModel)).toBe(0);
      expect(
        readerModel.clusters[0].unavailableKinds.map(k => k.kind),
      ).toContain('secrets');
      const withoutExpiry = (m: AtlasModel) =>
        JSON.parse(JSON.stringify(m), (key, value) =>
          key === 'notAfter' || key === 'daysToExpiry' ? undefined : value,
        );
      const secrets = new Set(['secrets']);
      expect(normalised(readerModel, secrets)).toEqual(
        normalised(withoutExpiry(adminModel), secrets),
      );
    });
  },
);
