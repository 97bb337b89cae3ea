import zlib from 'node:zlib';
import { BatchedArray, gunzipJson, gzipJson, jsonChunks } from './compression';

describe('jsonChunks', () => {
  it('writes the same JSON as JSON.stringify, in pieces', () => {
    const value = {
      generatedAt: new Date('2026-11-22T00:00:00Z'),
      skipped: undefined,
      paths: Array.from({ length: 450 }, (_, i) => ({
        id: `p${i}`,
        via: [],
        gone: undefined,
      })),
      holes: [1, undefined, () => 2, null],
      nested: { empty: [], deep: { items: [{ a: 1 }] } },
      text: 'quote " and \u2028',
    };
    const pieces = [...jsonChunks(value)];
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(JSON.stringify(value));
    expect([...jsonChunks([])].join('')).toBe('[]');
    expect([...jsonChunks('x')].join('')).toBe('"x"');
  });

  it('writes an array given in batches as the array of their items, reading each batch when written', () => {
    const read: number[] = [];
    const batches = [[{ id: 1 }, { id: 2 }], [], [{ id: 3 }]];
    const pieces = jsonChunks({
      paths: new BatchedArray(function* () {
        for (const [index, batch] of batches.entries()) {
          read.push(index);
          yield batch;
        }
      }),
      empty: new BatchedArray(() => [[]]),
    });
    expect(pieces.next().value).toBe('{');
    expect(read).toEqual([]);
    expect(pieces.next().value).toBe('"paths":');
    expect(pieces.next().value).toBe('[');
    expect(pieces.next().value).toBe('{"id":1},{"id":2}');
    expect(read).toEqual([0]);
    expect([...pieces].join('')).toBe(',{"id":3}],"empty":[]}');
  });
});

describe('gzipJson', () => {
  it('is the gzip of the JSON, readable by any gunzip', async () => {
    const value = {
      objects: {
        services: Array.from({ length: 1000 }, (_, i) => ({
          name: `svc-${i}`,
        })),
      },
    };
    const data = await gzipJson(value);
    expect(JSON.parse(zlib.gunzipSync(data).toString())).toEqual(value);
    expect(await gunzipJson(data)).toEqual(value);
  });
});
