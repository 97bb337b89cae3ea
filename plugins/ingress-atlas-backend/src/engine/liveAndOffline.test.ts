import { startSandbox, Sandbox } from '@ingress-atlas/sandbox';
import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { KubeCollector } from '../collection/KubeCollector';
import { analyze } from './analyze';
import { canariesIn } from './__testUtils__/canary';
import { demoEntities } from './__testUtils__/fixtureEstates';
import {
  SANDBOX,
  sandboxClusters,
  sandboxTencentCloud,
} from './__testUtils__/sandboxEstates';

jest.setTimeout(60_000);

/**
 * The same estates read two ways, live from the Kubernetes API stand-ins (with the pods, load
 * balancer statuses and EIPs their controller adds) and offline from their manifests, give
 * the same exposure.
 */
describe('live collection and offline manifests', () => {
  let sandbox: Sandbox;
  let live: AtlasModel;
  let offline: AtlasModel;
  let collected: ClusterInventory[];

  beforeAll(async () => {
    sandbox = await startSandbox({
      estatesDir: SANDBOX,
      basePort: 0,
      withCloud: false,
    });
    const manifests = await sandboxClusters();
    const collector = KubeCollector.create();
    collected = [];
    for (const inventory of manifests) {
      const { url } = sandbox.clusters[inventory.cluster.name];
      const result = await collector.collect(
        {
          descriptor: { ...inventory.cluster, source: 'config', url },
          auth: { token: 'sandbox-token' },
        },
        { signal: AbortSignal.timeout(20_000) },
      );
      collected.push(result.inventory);
    }
    const clouds: CloudInventory[] = await sandboxTencentCloud();
    const entities = await demoEntities();
    const now = '2026-11-22T00:00:00Z';
    live = analyze({ clusters: collected, clouds, entities, now });
    offline = analyze({ clusters: manifests, clouds, entities, now });
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('finds the same paths, control planes and findings', () => {
    const paths = (m: AtlasModel) =>
      m.paths.map(p => `${p.id} ${p.entityRefs} ${p.tls.mode}`);
    expect(paths(live)).toEqual(paths(offline));
    const planes = (m: AtlasModel) =>
      m.controlPlanes.map(({ evidence: _e, ...plane }) => plane);
    expect(planes(live)).toEqual(planes(offline));
    // Same findings; severities may differ where only a live cluster can tell (a missing workload).
    expect(live.findings.map(f => f.id).sort()).toEqual(
      offline.findings.map(f => f.id).sort(),
    );
    expect(live.paths.length).toBeGreaterThanOrEqual(12);
  });

  it('keeps no secret data from the live clusters either, in the stored inventories or the model', () => {
    expect(
      collected.flatMap(i => i.objects.secrets ?? []).length,
    ).toBeGreaterThan(10);
    expect(canariesIn(JSON.stringify(collected))).toEqual([]);
    expect(canariesIn(JSON.stringify(live))).toEqual([]);
  });
});
