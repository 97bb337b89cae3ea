import path from 'node:path';
import {
  AtlasModel,
  FINDINGS_CATALOGUE,
  FINDING_CODES,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { loadManifestCluster } from '../../manifests';
import { analyze } from '../analyze';
import {
  demoEntities,
  fixtureClouds,
  fixtureClusters,
} from '../__testUtils__/fixtureEstates';
import { ANALYZERS } from '.';

describe('analyzers and the findings catalogue', () => {
  it('declare every catalogued code, each in one analyzer', () => {
    const declared = ANALYZERS.flatMap(a => a.codes);
    expect([...declared].sort()).toEqual([...FINDING_CODES].sort());
  });

  describe('on the fixture estates and a misconfigured cluster', () => {
    let models: AtlasModel[];
    beforeAll(async () => {
      const misconfigured = await loadManifestCluster(
        [path.resolve(__dirname, '../__fixtures__/misconfigured')],
        { name: 'misconfigured', provider: 'tencent' },
        { collectedAt: '2026-11-21T00:00:00Z' },
      );
      models = [
        analyze({
          clusters: await fixtureClusters(),
          clouds: fixtureClouds(),
          entities: await demoEntities(),
          now: '2026-11-21T00:00:00Z',
        }),
        analyze({ clusters: [misconfigured.inventory] }),
      ];
    });

    it('raise findings only with the severities their code is catalogued with', () => {
      const findings = models.flatMap(m => m.findings);
      // Enough codes to mean something: most analyzers find something in these estates.
      expect(new Set(findings.map(f => f.code)).size).toBeGreaterThan(10);
      for (const f of findings) {
        expect({
          code: f.code,
          severity: FINDINGS_CATALOGUE[
            f.code as keyof typeof FINDINGS_CATALOGUE
          ]?.severities.includes(f.severity),
        }).toEqual({ code: f.code, severity: true });
      }
    });
  });
});
