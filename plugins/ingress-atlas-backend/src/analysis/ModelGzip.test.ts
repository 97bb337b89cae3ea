import zlib from 'node:zlib';
import { ModelGzip } from './ModelGzip';

const unzip = (gz: Buffer) => JSON.parse(zlib.gunzipSync(gz).toString('utf8'));

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
    const read = unzip(await gzip.gzip(next));

    expect(read.paths).toHaveLength(4_999);
    expect(read.paths[10].host).toBe('h10.example.com');
    expect(read.paths[3_999]).toEqual({
      id: next.paths[3_999].id,
      host: 'new.example.com',
    });
    expect(read.paths.map((p: { id: string }) => p.id)).toEqual(
      next.paths.map(p => p.id),
    );
  });
});
