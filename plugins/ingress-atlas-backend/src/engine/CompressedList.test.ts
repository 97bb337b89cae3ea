import { CompressedList } from './CompressedList';
import { compareText } from './order';

interface Path {
  id: string;
  cluster: string;
  host: string;
  entityRefs: string[];
}

/** `count` paths of `cluster`, sorted by id as the engine sorts them. */
function paths(cluster: string, count: number, entityEvery = 0): Path[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `path|entry:${cluster}/Service/apps/svc-${i}|svc-${i}.example.com`,
    cluster,
    host: `svc-${i}.example.com`,
    entityRefs:
      entityEvery && i % entityEvery === 0
        ? [`component:default/app-${i}`]
        : [],
  })).sort((a, b) => compareText(a.id, b.id));
}

const hasEntity = (path: Path) => path.entityRefs.length > 0;

describe('CompressedList', () => {
  it('gives back the items it was made of, in runs of one cluster each, in far less memory', () => {
    const items = [...paths('a', 3_000), ...paths('b', 2_000)].sort((x, y) =>
      compareText(x.id, y.id),
    );
    const list = CompressedList.of(items);
    expect(list.length).toBe(5_000);
    expect(list.items()).toEqual(items);
    for (const run of list.runs) {
      expect(run.firstId.startsWith('path|entry:a/')).toBe(
        run.lastId.startsWith('path|entry:a/'),
      );
    }
    const compressed = list.runs.reduce((sum, run) => sum + run.gz.length, 0);
    expect(compressed).toBeLessThan(JSON.stringify(items).length / 10);
    expect(CompressedList.of([]).items()).toEqual([]);
  });

  it("merges groups' lists in id order, keeping the runs of groups whose ids do not interleave", () => {
    const a = CompressedList.of(paths('a', 1_500));
    const b = CompressedList.of(paths('b', 1_500));
    const merged = CompressedList.merge([b, a]);
    expect(merged.items()).toEqual([
      ...paths('a', 1_500),
      ...paths('b', 1_500),
    ]);
    // Not read, not compressed again: the very same runs.
    expect(merged.runs).toEqual([...a.runs, ...b.runs]);
    merged.runs.forEach((run, i) =>
      expect(run).toBe([...a.runs, ...b.runs][i]),
    );
  });

  it('merges the lists of groups whose ids interleave (clusters a and c analysed together, b apart)', () => {
    const ac = CompressedList.of(
      [...paths('a', 700), ...paths('c', 700)],
      hasEntity,
    );
    const b = CompressedList.of(paths('b', 700, 10), hasEntity);
    const merged = CompressedList.merge([ac, b]);
    const expected = [
      ...paths('a', 700),
      ...paths('b', 700, 10),
      ...paths('c', 700),
    ];
    expect(merged.items()).toEqual(expected);
    expect(merged.length).toBe(2_100);
    // b's paths with an entity are still the tagged ones.
    expect(merged.tagged()).toEqual(expected.filter(hasEntity));
  });

  it('reads only the tagged items: the paths that belong to an entity', () => {
    const items = paths('a', 3_000, 1_000);
    const list = CompressedList.of(items, hasEntity);
    expect(list.tagged().map(p => p.host)).toEqual([
      'svc-0.example.com',
      'svc-1000.example.com',
      'svc-2000.example.com',
    ]);
    // Kept apart in the runs that have them, and compressed again only where a run has
    // other items too.
    const runs = list.runs.filter(run => run.taggedGz);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThanOrEqual(3);
    for (const run of runs) expect(run.taggedGz).not.toBe(run.gz);
    const all = CompressedList.of(items, () => true);
    for (const run of all.runs) expect(run.taggedGz).toBe(run.gz);
    expect(all.tagged()).toEqual(items);
    expect(CompressedList.of(items).tagged()).toEqual([]);
  });

  it('merges lists whose runs interleave, as those of clusters named alike but for case', () => {
    // The collation orders ids by letter before case: prod's and Prod's ids alternate.
    const lower = CompressedList.of(paths('prod', 600, 50), hasEntity);
    const upper = CompressedList.of(paths('Prod', 600), hasEntity);
    const expected = [...paths('prod', 600, 50), ...paths('Prod', 600)].sort(
      (x, y) => compareText(x.id, y.id),
    );
    expect(expected[0].cluster).not.toBe(expected[1].cluster);
    const merged = CompressedList.merge([upper, lower]);
    expect(merged.items()).toEqual(expected);
    expect(merged.tagged()).toEqual(expected.filter(hasEntity));
    // Cut by id alone where they interleave, not one run per item.
    expect(merged.runs.length).toBeLessThan(expected.length / 20);
  });
});
