import { MessageChannel } from 'node:worker_threads';
import zlib from 'node:zlib';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CompactModel,
  compactModel,
  CompressedList,
  wholeModel,
} from '../engine/CompressedList';
import { indexByEntity } from './entityExposure';
import { compareText } from '../engine/order';
import { sha1Hex } from '../inventory/compression';
import { ModelGzip, ModelPart, readModel } from './ModelGzip';

/** The model as stored: each member's bytes, the last stored or those of `parts`, in order. */
const stored = new Map<string, Uint8Array>();
const unzip = (parts: ModelPart[]) => {
  for (const { sha1, gz } of parts) if (gz) stored.set(sha1, gz);
  const gz = Buffer.concat(parts.map(({ sha1 }) => stored.get(sha1)!));
  return JSON.parse(zlib.gunzipSync(gz).toString('utf8'));
};

function model(paths: number) {
  return {
    generatedAt: '2026-12-07T00:00:00.000Z',
    clusters: [{ name: 'a' }, { name: 'b' }],
    paths: Array.from({ length: paths }, (_, i) => ({
      id: `path|entry:c${String(Math.floor(i / 1000)).padStart(2, '0')}/${i}`,
      host: `h${i}.example.com`,
    })),
    findings: [],
  };
}

describe('ModelGzip', () => {
  it('compresses a model into members that read back as its JSON', async () => {
    const gzip = new ModelGzip();
    for (const value of [model(0), model(1), model(5_000)]) {
      expect(unzip(await gzip.gzip(value))).toEqual(value);
    }
  });

  it('compresses again only the runs whose items changed', async () => {
    const gzip = new ModelGzip();
    const first = model(5_000);
    await gzip.gzip(first);

    // The same objects, in place: their members are kept (an object changed in place, which
    // the model's items never are, shows as it was), while a new object is written anew.
    const next = { ...first, paths: [...first.paths] };
    next.paths[10].host = 'changed-in-place.example.com';
    next.paths[4_000] = { ...next.paths[4_000], host: 'new.example.com' };
    next.paths.splice(2_500, 1);
    const parts = await gzip.gzip(next);
    // Only the runs written anew come with their bytes.
    expect(parts.filter(p => p.gz).length).toBeGreaterThan(0);
    expect(parts.filter(p => p.gz).length).toBeLessThan(parts.length / 5);
    const read = unzip(parts);

    expect(read.paths).toHaveLength(4_999);
    expect(read.paths[10].host).toBe('h10.example.com');
    expect(read.paths[3_999]).toEqual({
      id: next.paths[3_999].id,
      host: 'new.example.com',
    });
    expect(read.paths.map((p: { id: string }) => p.id)).toEqual(
      next.paths.map(p => p.id),
    );

    // Asked for all, every member comes with its bytes: the same model.
    const all = await gzip.gzip(next, { all: true });
    expect(all.every(p => p.gz)).toBe(true);
    expect(all.map(p => p.sha1)).toEqual(parts.map(p => p.sha1));
    expect(
      JSON.parse(
        zlib.gunzipSync(Buffer.concat(all.map(p => p.gz!))).toString(),
      ),
    ).toEqual(read);
  });

  it('keeps and sends each member in memory of its own size', async () => {
    const parts = await new ModelGzip().gzip(model(5_000));
    const bytes = parts.reduce((sum, { gz }) => sum + gz!.byteLength, 0);
    // What the memory behind the members holds, each buffer counted once.
    const held = (members: ModelPart[]) =>
      [...new Set(members.map(({ gz }) => gz!.buffer))].reduce(
        (sum, buffer) => sum + buffer.byteLength,
        0,
      );
    expect(parts.length).toBeGreaterThan(10);
    // As this thread keeps them, and as the request thread receives them (a message copies
    // each buffer its bodies are views on): their bytes (about 27 KiB here), not the 64 KiB
    // blocks zlib's output is cut from (about 1 MiB here).
    expect(held(parts)).toBe(bytes);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<ModelPart[]>(resolve =>
      port2.once('message', resolve),
    );
    port1.postMessage(parts);
    const copies = await received;
    port1.close();
    expect(held(copies)).toBe(bytes);
  });

  it("writes a compressed list's runs as they are, with the bytes of only those new", async () => {
    const whole = model(5_000);
    const clusterOf = (id: string) => id.slice('path|entry:'.length, 14);
    // Sorted as the engine sorts them.
    const paths = whole.paths
      .map(p => ({ ...p, cluster: clusterOf(p.id) }))
      .sort((a, b) => compareText(a.id, b.id));
    // As the engine keeps them: each cluster's list compressed apart, then merged.
    const merged = (clusterPaths: typeof paths) =>
      CompressedList.merge(
        ['c00', 'c01', 'c02', 'c03', 'c04'].map(cluster =>
          CompressedList.of(clusterPaths.filter(p => p.cluster === cluster)),
        ),
      );
    const gzip = new ModelGzip();
    const first = { ...whole, paths: merged(paths) };
    const firstParts = await gzip.gzip(first);
    expect(unzip(firstParts)).toEqual({ ...whole, paths });
    const firstRuns = new Set(first.paths.runs.map(run => run.sha1));
    expect(firstParts.filter(p => firstRuns.has(p.sha1)).length).toBe(
      firstRuns.size,
    );
    expect(firstParts.every(p => p.gz)).toBe(true);

    // One cluster's paths analysed again: only its runs are new, and come with their bytes.
    const changed = paths.map(p =>
      p.cluster === 'c02' ? { ...p, host: `new-${p.host}` } : p,
    );
    const next = { ...whole, paths: merged(changed) };
    const parts = await gzip.gzip(next);
    const sent = new Set(parts.filter(p => p.gz).map(p => p.sha1));
    for (const run of next.paths.runs) {
      expect(sent.has(run.sha1)).toBe(run.firstId.includes(':c02/'));
    }
    expect(unzip(parts)).toEqual({ ...whole, paths: changed });
  });

  it('reads a stored model back, and a later one reading only the members of runs it lacks', async () => {
    /** Three clusters' paths and routes; the path `entityOn` belongs to an entity. */
    const estate = (entityOn?: string) => {
      const paths = [];
      const routes = [];
      for (const cluster of ['c00', 'c01', 'c02']) {
        for (let i = 0; i < 600; i++) {
          const route = `route:${cluster}/VirtualService/apps/vs-${i}`;
          routes.push({ id: route, cluster, name: `vs-${i}` });
          paths.push({
            id: `path|entry:${cluster}/lb|h${i}.example.com|${route}`,
            cluster,
            host: `h${i}.example.com`,
            route,
            via: [],
            entityRefs:
              `${cluster}/${i}` === entityOn ? ['component:default/app'] : [],
          });
        }
      }
      const byId = (a: { id: string }, b: { id: string }) =>
        compareText(a.id, b.id);
      return {
        generatedAt: '2026-12-07T00:00:00.000Z',
        clusters: [],
        controlPlanes: [],
        gateways: [],
        entries: [],
        routes: routes.sort(byId),
        paths: paths.sort(byId),
        costs: [],
        recommendations: [],
        findings: [],
      } as unknown as AtlasModel;
    };
    // The watching replica stores its models; another one reads them.
    const gzip = new ModelGzip();
    const storedParts = (parts: ModelPart[]) => {
      for (const { sha1, gz } of parts) if (gz) stored.set(sha1, gz);
      return parts.map(({ sha1 }) => ({ sha1, gz: stored.get(sha1)! }));
    };
    const first = storedParts(await gzip.gzip(compactModel(estate())));
    const loaded = readModel(first);
    expect(wholeModel(loaded)).toEqual(estate());
    expect(loaded.routes.tagged()).toEqual([]);
    // Read cold, the lists' runs are the stored members as they are, not compressed again: so
    // even members another zlib wrote (here at another level) are found held next time.
    const otherZlib = (parts: Array<Required<ModelPart>>) =>
      parts.map(({ gz }) => {
        const again = zlib.gzipSync(zlib.gunzipSync(gz), { level: 9 });
        return { sha1: sha1Hex(again), gz: again };
      });
    const readCold = readModel(otherZlib(first));
    expect(wholeModel(readCold)).toEqual(estate());
    const storedIn = (parts: ModelPart[], read: CompactModel) => {
      const sha1s = new Set(parts.map(({ sha1 }) => sha1));
      return [...read.paths.runs, ...read.routes.runs].every(run =>
        sha1s.has(run.sha1),
      );
    };
    expect(storedIn(otherZlib(first), readCold)).toBe(true);

    // A path of c02 comes to belong to an entity: its run is new; the run of the route it takes
    // is not (the same routes), but its tags are.
    const next = storedParts(await gzip.gzip(compactModel(estate('c02/7'))));
    const again = readModel(next, loaded);
    expect(wholeModel(again)).toEqual(estate('c02/7'));
    const kept = (list: 'paths' | 'routes') =>
      again[list].runs.filter(run => loaded[list].runs.includes(run)).length;
    expect(kept('paths')).toBe(again.paths.runs.length - 1);
    expect(kept('routes')).toBe(again.routes.runs.length - 1);
    const view = indexByEntity(again).get('component:default/app')!;
    expect(view.paths.map(p => p.host)).toEqual(['h7.example.com']);
    expect(view.routes.map(r => r.id)).toEqual([
      'route:c02/VirtualService/apps/vs-7',
    ]);

    // A replica or a restarted backend that holds no model reads the same one cold: the same
    // entity view, its route tagged though the stored run of routes carries no tags.
    // Its run of routes is tagged again as it is, not read into a list compressed anew.
    const nextElsewhere = otherZlib(next);
    const cold = readModel(nextElsewhere);
    expect(wholeModel(cold)).toEqual(estate('c02/7'));
    expect(indexByEntity(cold).get('component:default/app')).toEqual(view);
    expect(storedIn(nextElsewhere, cold)).toBe(true);
  });
});
