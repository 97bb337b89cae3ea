import { TestDatabaseId, TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ClusterInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { compressInventory, inventorySha1 } from '../inventory/compressedInventory';
import { gunzipJson } from '../inventory/compression';
import { ModelGzip } from '../analysis/ModelGzip';
import { SnapshotStore } from './SnapshotStore';
import knexFactory from 'knex';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** As many models as the store keeps. */
const MODELS_KEPT = 3;

const migrationsDir = resolvePackagePath(
  '@ingress-atlas/plugin-ingress-atlas-backend',
  'migrations',
);

jest.setTimeout(60_000);

// PostgreSQL runs when the test script provides it (scripts/postgres.sh); SQLite always.
const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.INGRESS_ATLAS_TEST_POSTGRES) {
  ids.push(process.env.INGRESS_ATLAS_TEST_POSTGRES as TestDatabaseId);
}
const databases = TestDatabases.create({ ids });

/** The snapshots with their inventories decompressed, as the analysis reads them. */
async function listClusters(store: SnapshotStore) {
  return Promise.all(
    (await store.listStoredClusters()).map(async ({ inventoryGz, ...snapshot }) => ({
      ...snapshot,
      inventory: inventoryGz ? await gunzipJson<ClusterInventory>(inventoryGz) : undefined,
    })),
  );
}

function inventory(name: string, collectedAt: string): ClusterInventory {
  return {
    cluster: { name, source: 'config', provider: 'tencent' },
    collectedAt,
    objects: { services: [{ metadata: { name: 'blog', namespace: 'blog' } }] },
    unavailable: { eipClaims: 'not served' },
    certificates: [],
  };
}

function model(generatedAt: string, paths: number): AtlasModel {
  return {
    generatedAt,
    clusters: [],
    controlPlanes: [],
    gateways: [],
    entries: [],
    routes: [],
    paths: Array.from({ length: paths }, (_, i) => ({
      id: `p${i}`,
      host: `h${i}.example.com`,
      cluster: 'c',
      entry: 'e',
      via: [],
      entityRefs: [],
      network: 'public',
      tls: { mode: 'NONE', certificateSource: 'none' },
    })),
    findings: [],
    costs: [],
    recommendations: [],
  };
}

describe.each(databases.eachSupportedId())('SnapshotStore on %p', databaseId => {
  async function createStore() {
    const knex = await databases.init(databaseId);
    return SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
  }

  it('keeps the last good inventory of a cluster whose refresh failed, marked stale', async () => {
    const store = await createStore();
    await store.saveClusterSuccess(await compressInventory(inventory('tke-blog', '2026-11-22T00:00:00Z')), '2026-11-22T00:00:00Z');
    await store.saveClusterFailure(
      { name: 'tke-blog', source: 'config', provider: 'tencent' },
      'timed out after 30s',
      '2026-11-22T00:05:00Z',
    );
    const [snapshot] = await listClusters(store);
    expect(snapshot).toMatchObject({
      status: 'stale',
      error: 'timed out after 30s',
      collectedAt: '2026-11-22T00:00:00Z',
      attemptedAt: '2026-11-22T00:05:00Z',
    });
    expect(snapshot.inventory?.objects.services?.[0].metadata.name).toBe('blog');

    await store.saveClusterSuccess(await compressInventory(inventory('tke-blog', '2026-11-22T00:10:00Z')), '2026-11-22T00:10:00Z');
    const [fresh] = await listClusters(store);
    expect(fresh).toMatchObject({ status: 'ok', collectedAt: '2026-11-22T00:10:00Z' });
    expect(fresh.error).toBeUndefined();
  });

  it('marks a cluster that never answered as an error, with nothing to show', async () => {
    const store = await createStore();
    await store.saveClusterFailure(
      { name: 'edge', source: 'config', provider: 'tencent' },
      'HTTP 503',
      '2026-11-22T00:00:00Z',
    );
    const [snapshot] = await listClusters(store);
    expect(snapshot).toMatchObject({ status: 'error', error: 'HTTP 503' });
    expect(snapshot.inventory).toBeUndefined();
  });

  it('forgets clusters that are no longer configured', async () => {
    const store = await createStore();
    await store.saveClusterSuccess(await compressInventory(inventory('a', '2026-11-22T00:00:00Z')), '2026-11-22T00:00:00Z');
    await store.saveClusterSuccess(await compressInventory(inventory('b', '2026-11-22T00:00:00Z')), '2026-11-22T00:00:00Z');
    await store.retainClusters(['b']);
    expect((await listClusters(store)).map(s => s.descriptor.name)).toEqual(['b']);
  });

  it('reads the bytes only of the inventories the reader does not hold', async () => {
    const store = await createStore();
    for (const name of ['a', 'b', 'c']) {
      await store.saveClusterSuccess(await compressInventory(inventory(name, '2026-11-22T00:00:00Z')), '2026-11-22T00:00:00Z');
    }
    await store.saveClusterFailure({ name: 'never', source: 'config', provider: 'tencent' }, 'HTTP 503', '2026-11-22T00:00:00Z');
    const first = await store.listStoredClusters();
    expect(first.filter(s => s.inventoryGz).map(s => s.descriptor.name)).toEqual(['a', 'b', 'c']);
    const held = new Map(first.flatMap(s => (s.inventorySha1 ? [[s.descriptor.name, s.inventorySha1]] : [])));
    expect([...held.keys()]).toEqual(['a', 'b', 'c']);

    // b changes: only its bytes are read; the others come with the SHA-1 the reader holds.
    await store.saveClusterSuccess(await compressInventory(inventory('b', '2026-11-22T00:05:00Z')), '2026-11-22T00:05:00Z');
    const second = await store.listStoredClusters({ held });
    expect(second.map(s => [s.descriptor.name, Boolean(s.inventoryGz)])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
      ['never', false],
    ]);
    const b = second.find(s => s.descriptor.name === 'b')!;
    expect(b.inventorySha1).not.toBe(held.get('b'));
    expect((await gunzipJson<ClusterInventory>(b.inventoryGz!)).collectedAt).toBe('2026-11-22T00:05:00Z');
    expect(second.find(s => s.descriptor.name === 'a')!.inventorySha1).toBe(held.get('a'));

    // A failed refresh of c keeps its inventory, and its SHA-1: still held.
    await store.saveClusterFailure({ name: 'c', source: 'config', provider: 'tencent' }, 'HTTP 503', '2026-11-22T00:10:00Z');
    const third = await store.listStoredClusters({ held });
    expect(third.find(s => s.descriptor.name === 'c')).toMatchObject({ status: 'stale', inventorySha1: held.get('c') });
    expect(third.find(s => s.descriptor.name === 'c')!.inventoryGz).toBeUndefined();
  });

  it('reads with its bytes an inventory that a version from before the SHA-1s wrote, and tells its SHA-1', async () => {
    const knex = await databases.init(databaseId);
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    for (const name of ['a', 'b']) {
      await store.saveClusterSuccess(await compressInventory(inventory(name, '2026-11-22T00:00:00Z')), '2026-11-22T00:00:00Z');
    }
    const held = new Map((await store.listStoredClusters()).map(s => [s.descriptor.name, s.inventorySha1!]));

    // A replica of that version, during a rolling upgrade: its upsert rewrites a's inventory and
    // leaves a's SHA-1 as it was, and stores c for the first time without one.
    const a = await compressInventory(inventory('a', '2026-11-22T00:05:00Z'));
    await knex('cluster_snapshots')
      .where({ cluster: 'a' })
      .update({ inventory_gz: Buffer.from(a.inventoryGz), collected_at: a.collectedAt, attempted_at: a.collectedAt });
    const c = await compressInventory(inventory('c', '2026-11-22T00:05:00Z'));
    await knex('cluster_snapshots').insert({
      cluster: 'c',
      descriptor: JSON.stringify(c.cluster),
      inventory_gz: Buffer.from(c.inventoryGz),
      status: 'ok',
      collected_at: c.collectedAt,
      attempted_at: c.collectedAt,
    });

    const listed = await store.listStoredClusters({ held });
    expect(listed.map(s => [s.descriptor.name, Boolean(s.inventoryGz)])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect((await gunzipJson<ClusterInventory>(listed[0].inventoryGz!)).collectedAt).toBe('2026-11-22T00:05:00Z');
    expect(listed[0].inventorySha1).toBe(inventorySha1(a.inventoryGz));
    expect(listed[1].inventorySha1).toBe(held.get('b'));
    expect(listed[2].inventorySha1).toBe(inventorySha1(c.inventoryGz));

    // A failed refresh of c keeps the inventory that replica stored: stale, not an error.
    await store.saveClusterFailure(c.cluster, 'HTTP 503', '2026-11-22T00:10:00Z');
    const [, , failed] = await store.listStoredClusters({ held });
    expect(failed).toMatchObject({ status: 'stale', inventorySha1: inventorySha1(c.inventoryGz) });
    expect(failed.inventoryGz).toBeDefined();
  });

  it('serves the latest model whole and prunes old revisions', async () => {
    const store = await createStore();
    expect(await store.latestModel()).toBeUndefined();
    let revision = 0;
    for (let i = 1; i <= 5; i++) {
      const saved = model(`2026-11-22T00:0${i}:00Z`, i * 10);
      revision = await store.saveModel({
        generatedAt: saved.generatedAt,
        parts: await new ModelGzip().gzip(saved),
        sourceErrors: [{ source: 'catalog', error: `attempt ${i} failed` }],
      });
    }
    const latest = await store.latestModel();
    expect(latest?.revision).toBe(revision);
    expect(latest?.generatedAt).toBe('2026-11-22T00:05:00Z');
    expect(latest?.sourceErrors).toEqual([{ source: 'catalog', error: 'attempt 5 failed' }]);
    const stored = await gunzipJson<AtlasModel>(Buffer.concat(latest!.modelParts.map(p => p.gz)));
    expect(stored.generatedAt).toBe('2026-11-22T00:05:00Z');
    expect(stored.paths).toHaveLength(50);
    expect(await store.latestModelRevision()).toBe(revision);
  });

  it('stores each part of a model once, writes only the parts a new model adds, and deletes those no kept model uses', async () => {
    const knex = await databases.init(databaseId);
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const gzip = new ModelGzip();
    const first = model('2026-11-22T00:00:00Z', 2_000);
    const firstParts = await gzip.gzip(first);
    expect(firstParts.length).toBeGreaterThan(5);
    await store.saveModel({ generatedAt: first.generatedAt, parts: firstParts, sourceErrors: [] });

    // The next models differ from the one before in a path each: the other parts come without bytes.
    let last = first;
    const written: number[] = [];
    for (let i = 1; i <= MODELS_KEPT + 1; i++) {
      const paths = [...last.paths];
      paths[i * 300] = { ...paths[i * 300], host: `changed-${i}.example.com` };
      last = { ...last, generatedAt: `2026-11-22T00:0${i}:00Z`, paths };
      const parts = await gzip.gzip(last);
      written.push(parts.filter(p => p.gz).length);
      await store.saveModel({ generatedAt: last.generatedAt, parts, sourceErrors: [] });
    }
    expect(Math.max(...written)).toBeLessThan(firstParts.length / 2);
    const latest = await store.latestModel();
    expect(await gunzipJson(Buffer.concat(latest!.modelParts.map(p => p.gz)))).toEqual(last);

    // Only the parts of the models kept are left.
    const stored = await knex('model_parts').count({ n: '*' }).first();
    const kept = new Set(
      (await knex('models').select('parts')).flatMap(row => JSON.parse(row.parts) as string[]),
    );
    expect(Number(stored!.n)).toBe(kept.size);
    expect(Number((await knex('models').count({ n: '*' }).first())!.n)).toBe(MODELS_KEPT);
  });

  it("refuses a model reusing parts another replica's models replaced, keeping the latest", async () => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex, migrations: { skip: false } });
    const [replicaA, replicaB] = [
      await SnapshotStore.create({ database }),
      await SnapshotStore.create({ database }),
    ];
    const gzipA = new ModelGzip();
    const first = model('2026-11-22T00:00:00Z', 2_000);
    await replicaA.saveModel({
      generatedAt: first.generatedAt,
      parts: await gzipA.gzip(first),
      sourceErrors: [],
    });
    // Replica B publishes models of its own until replica A's is no longer kept.
    let latest = 0;
    for (let i = 1; i <= MODELS_KEPT; i++) {
      const paths = model('', 10 * i).paths.map(p => ({ ...p, id: `b-${p.id}` }));
      latest = await replicaB.saveModel({
        generatedAt: `2026-11-22T00:0${i}:00Z`,
        parts: await new ModelGzip().gzip({ ...first, generatedAt: `2026-11-22T00:0${i}:00Z`, paths }),
        sourceErrors: [],
      });
    }
    // Replica A's next model reuses, without their bytes, parts of its first one.
    const next = { ...first, generatedAt: '2026-11-22T00:09:00Z' };
    const parts = await gzipA.gzip(next);
    const reused = new Set(parts.filter(p => !p.gz).map(p => p.sha1)).size;
    expect(reused).toBeGreaterThan(0);
    await expect(
      replicaA.saveModel({ generatedAt: next.generatedAt, parts, sourceErrors: [] }),
    ).rejects.toThrow(`The model reuses ${reused} parts that are no longer stored`);
    expect(await replicaA.latestModelRevision()).toBe(latest);
    expect((await replicaA.latestModel())!.generatedAt).toBe('2026-11-22T00:03:00Z');
    // With all its bytes it is stored.
    await replicaA.saveModel({
      generatedAt: next.generatedAt,
      parts: await gzipA.gzip(next, { all: true }),
      sourceErrors: [],
    });
    expect(await gunzipJson(Buffer.concat((await replicaB.latestModel())!.modelParts.map(p => p.gz)))).toEqual(next);
  });

  it('says which parts a stored model lacks rather than serving a broken one', async () => {
    const knex = await databases.init(databaseId);
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const parts = await new ModelGzip().gzip(model('2026-11-22T00:00:00Z', 10));
    const revision = await store.saveModel({
      generatedAt: '2026-11-22T00:00:00Z',
      parts,
      sourceErrors: [],
    });
    // A part lost outside the store (a restore from an incomplete backup, a manual delete).
    await knex('model_parts').where('sha1', parts[0].sha1).delete();
    await expect(store.latestModel()).rejects.toThrow(
      `Model revision ${revision} lacks 1 of its ${parts.length} stored parts`,
    );
  });

  it('keeps the snapshots and models stored as text before compression', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up({ directory: migrationsDir, name: '20261122000000_init.js' });
    const old = inventory('tke-blog', '2026-11-22T00:00:00Z');
    await knex('cluster_snapshots').insert({
      cluster: 'tke-blog',
      descriptor: JSON.stringify(old.cluster),
      inventory: JSON.stringify(old),
      status: 'ok',
      collected_at: old.collectedAt,
      attempted_at: old.collectedAt,
    });
    await knex('models').insert({
      model: JSON.stringify(model('2026-11-22T00:00:00Z', 3)),
      generated_at: '2026-11-22T00:00:00Z',
    });

    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const [snapshot] = await listClusters(store);
    expect(snapshot).toMatchObject({ status: 'ok', inventory: old });
    const latest = await store.latestModel();
    expect((await gunzipJson<AtlasModel>(Buffer.concat(latest!.modelParts.map(p => p.gz)))).paths).toHaveLength(3);
  });

  it('takes snapshots and models back to text when the compression is rolled back', async () => {
    const knex = await databases.init(databaseId);
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const saved = inventory('tke-blog', '2026-11-22T00:00:00Z');
    await store.saveClusterSuccess(await compressInventory(saved), '2026-11-22T00:00:00Z');
    await store.saveModel({
      generatedAt: '2026-11-22T00:00:00Z',
      parts: await new ModelGzip().gzip(model('2026-11-22T00:00:00Z', 4)),
      sourceErrors: [],
    });

    // Every later migration first, then the compression itself.
    const compression = '20261123000000_compressed_snapshots.js';
    let last: string | undefined;
    do {
      const [, applied] = (await knex.migrate.down({ directory: migrationsDir })) as [
        number,
        string[],
      ];
      last = applied[0];
    } while (last && last !== compression);
    expect(last).toBe(compression);

    const [snapshot] = await knex('cluster_snapshots').select('inventory');
    expect(JSON.parse(snapshot.inventory)).toMatchObject({ collectedAt: '2026-11-22T00:00:00Z', objects: saved.objects });
    const [stored] = await knex('models').select('model');
    expect(JSON.parse(stored.model).paths).toHaveLength(4);
    expect(await knex.schema.hasColumn('models', 'model_gz')).toBe(false);
  });

  it('keeps inventories compressed, a fraction of their JSON', async () => {
    const store = await createStore();
    const large = inventory('tke-blog', '2026-11-22T00:00:00Z');
    large.objects.services = Array.from({ length: 2000 }, (_, i) => ({
      metadata: { name: `svc-${i}`, namespace: 'shop', labels: { app: `app-${i}` } },
      spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
    }));
    await store.saveClusterSuccess(await compressInventory(large), '2026-11-22T00:00:00Z');
    const [stored] = await store.listStoredClusters();
    expect(stored.inventoryGz!.byteLength).toBeLessThan(JSON.stringify(large).length / 5);
    const [snapshot] = await listClusters(store);
    expect(snapshot.inventory).toEqual(large);
  });

  it('replaces a cloud inventory per provider, account and region', async () => {
    const store = await createStore();
    const cloud = (collectedAt: string, lbIds: string[]) => ({
      provider: 'tencent' as const,
      account: 'prod',
      region: 'ap-guangzhou',
      collectedAt,
      loadBalancers: lbIds.map(id => ({ id, network: 'public' as const, vips: [], tags: [], listeners: [] })),
      addresses: [],
      vpcEndpoints: [],
      meshes: [],
      errors: [],
    });
    await store.saveCloud([cloud('t1', ['lb-1', 'lb-2'])]);
    await store.saveCloud([cloud('t2', ['lb-2'])]);
    const [stored] = await store.listCloud();
    expect(stored.collectedAt).toBe('t2');
    expect(stored.loadBalancers.map(lb => lb.id)).toEqual(['lb-2']);
  });
});

describe('SnapshotStore on an SQLite file', () => {
  it('writes through a write-ahead log synced at checkpoints, not on every commit', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-sqlite-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'ingress-atlas.sqlite') },
      useNullAsDefault: true,
    });
    try {
      await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const [{ journal_mode }] = await knex.raw('PRAGMA journal_mode');
      const [{ synchronous }] = await knex.raw('PRAGMA synchronous');
      expect(journal_mode).toBe('wal');
      expect(synchronous).toBe(1); // NORMAL
    } finally {
      await knex.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
