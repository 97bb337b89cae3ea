import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze } from './analyze';
import {
  demoEntities,
  fixtureClouds,
  fixtureClusters,
} from './__testUtils__/fixtureEstates';
import {
  sandboxClusters,
  sandboxTencentCloud,
} from './__testUtils__/sandboxEstates';
import { wholeModel } from './CompressedList';
import { IncrementalAnalysis, IncrementalCluster } from './IncrementalAnalysis';
import { CatalogEntityLite } from './types';

const NOW = new Date('2026-11-22T06:00:00.000Z');

/** Clusters as the backend hands them over: keyed by their content, read on demand. */
function keyed(inventories: ClusterInventory[]): IncrementalCluster[] {
  return inventories.map(inventory => ({
    name: inventory.cluster.name,
    key: JSON.stringify(inventory),
    inventory: () => structuredClone(inventory),
    istioConfigCluster: inventory.cluster.istioConfigCluster,
  }));
}

/** The same inventories, with `change` made to one object of `cluster`. */
function changed(
  inventories: ClusterInventory[],
  cluster: string,
  change: (inventory: ClusterInventory) => void,
): ClusterInventory[] {
  return inventories.map(inventory => {
    if (inventory.cluster.name !== cluster) return inventory;
    const copy = structuredClone(inventory);
    change(copy);
    return copy;
  });
}

describe('IncrementalAnalysis', () => {
  let sandbox: ClusterInventory[];
  let clouds: CloudInventory[];
  let entities: CatalogEntityLite[];

  beforeAll(async () => {
    sandbox = await sandboxClusters();
    clouds = await sandboxTencentCloud();
    entities = await demoEntities();
  });

  const full = (clusters: ClusterInventory[], now = NOW) =>
    analyze({ clusters, clouds, entities, now });
  const incrementally = (
    incremental: IncrementalAnalysis,
    clusters: ClusterInventory[],
    now = NOW,
  ) =>
    wholeModel(
      incremental.analyze({ clusters: keyed(clusters), clouds, entities, now }),
    );

  it('gives the model a whole analysis gives, for the sandbox and the fixture estates', async () => {
    const fixtures = await fixtureClusters();
    const fixtureCloud = fixtureClouds();
    const incremental = new IncrementalAnalysis();
    expect(incrementally(incremental, sandbox)).toEqual(full(sandbox));

    const other = new IncrementalAnalysis();
    expect(
      wholeModel(
        other.analyze({
          clusters: keyed(fixtures),
          clouds: fixtureCloud,
          entities,
          now: NOW,
        }),
      ),
    ).toEqual(
      analyze({ clusters: fixtures, clouds: fixtureCloud, entities, now: NOW }),
    );
  });

  it('re-analyses only the cluster that changed, and the model is still the whole analysis', () => {
    const incremental = new IncrementalAnalysis();
    incrementally(incremental, sandbox);
    expect(incremental.lastRun?.analysedClusters).toHaveLength(sandbox.length);

    // blog's VirtualService gets a second host.
    const after = changed(sandbox, 'tke-blog', inventory => {
      const vs = inventory.objects.virtualServices!.find(
        v => v.metadata.name === 'blog',
      )!;
      vs.spec.hosts = [...vs.spec.hosts, 'www.blog.example.com'];
    });
    const model = incrementally(incremental, after);
    expect(incremental.lastRun?.analysedClusters).toEqual(['tke-blog']);
    expect(model.paths.some(p => p.host === 'www.blog.example.com')).toBe(true);
    expect(model).toEqual(full(after));
  });

  it('re-analyses a remote cluster together with its primary', () => {
    const incremental = new IncrementalAnalysis();
    incrementally(incremental, sandbox);
    const after = changed(sandbox, 'tke-saas-remote', inventory => {
      const service = inventory.objects.services!.find(
        s =>
          s.metadata.namespace !== 'istio-system' &&
          s.metadata.namespace !== 'kube-system',
      )!;
      service.metadata.labels = { ...service.metadata.labels, changed: 'yes' };
    });
    const model = incrementally(incremental, after);
    expect(incremental.lastRun?.analysedClusters.sort()).toEqual([
      'tke-saas-primary',
      'tke-saas-remote',
    ]);
    expect(model).toEqual(full(after));
  });

  it("re-analyses a data-plane cluster when its mesh's config cluster changes", () => {
    const incremental = new IncrementalAnalysis();
    incrementally(incremental, sandbox);
    // ASM keeps the shop's VirtualServices on its own API server (aliyun-asm-mesh).
    const after = changed(sandbox, 'aliyun-asm-mesh', inventory => {
      const vs = inventory.objects.virtualServices![0];
      vs.spec.hosts = [...vs.spec.hosts, 'extra.shop.example.cn'];
    });
    const model = incrementally(incremental, after);
    expect(incremental.lastRun?.analysedClusters).toContain('aliyun-asm');
    expect(
      model.paths.some(
        p => p.host === 'extra.shop.example.cn' && p.cluster === 'aliyun-asm',
      ),
    ).toBe(true);
    expect(model).toEqual(full(after));
  });

  it('counts a cloud resource as idle only when no cluster of the estate uses it', () => {
    const incremental = new IncrementalAnalysis();
    incrementally(incremental, sandbox);
    // The blog's gateway Service goes: its CLB is used by no entry any more.
    const after = changed(sandbox, 'tke-blog', inventory => {
      inventory.objects.services = inventory.objects.services!.filter(
        s => s.spec?.type !== 'LoadBalancer',
      );
    });
    const before = full(sandbox);
    const model = incrementally(incremental, after);
    expect(incremental.lastRun?.analysedClusters).toEqual(['tke-blog']);
    const unusedNow = model.costs
      .filter(c => c.state !== 'in-use')
      .map(c => c.id);
    const unusedBefore = before.costs
      .filter(c => c.state !== 'in-use')
      .map(c => c.id);
    expect(unusedNow.length).toBeGreaterThan(unusedBefore.length);
    expect(model).toEqual(full(after));
  });

  it("analyses a cluster again once a certificate's days to expiry changed, else not at all", () => {
    const incremental = new IncrementalAnalysis();
    incrementally(incremental, sandbox);
    const soon = new Date(NOW.getTime() + 60_000);
    incrementally(incremental, sandbox, soon);
    expect(incremental.lastRun?.analysedClusters).toEqual([]);

    const withCertificates = sandbox.filter(c =>
      c.certificates.some(cert => cert.notAfter),
    );
    expect(withCertificates.length).toBeGreaterThan(0);
    const later = new Date(NOW.getTime() + 26 * 60 * 60 * 1000);
    const model = incrementally(incremental, sandbox, later);
    expect(incremental.lastRun?.analysedClusters).toEqual(
      expect.arrayContaining(withCertificates.map(c => c.cluster.name)),
    );
    expect(model).toEqual(full(sandbox, later));
  });

  it('analyses everything again when the cloud inventory changes', () => {
    const incremental = new IncrementalAnalysis();
    incrementally(incremental, sandbox);
    const fewer = clouds.map(cloud => ({ ...cloud, addresses: [] }));
    const model = wholeModel(
      incremental.analyze({
        clusters: keyed(sandbox),
        clouds: fewer,
        entities,
        now: NOW,
      }),
    );
    expect(incremental.lastRun?.analysedClusters).toHaveLength(sandbox.length);
    expect(model).toEqual(
      analyze({ clusters: sandbox, clouds: fewer, entities, now: NOW }),
    );
  });
});
