import {
  EXPOSURES_PAGE_ITEMS,
  ExposuresResponse,
  exposuresPages,
  joinExposuresPages,
  readExposuresPages,
} from './api';

/** A body of `paths` paths, 3 entries, 2 gateways, 1 route and 4 costs (only ids matter here). */
function body(paths: number): ExposuresResponse {
  const items = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}:${i}` })) as any[];
  return {
    generatedAt: '2026-12-06T00:00:00.000Z',
    paths: items('path', paths),
    entries: items('entry', 3),
    gateways: items('gateway', 2),
    routes: items('route', 1),
    costs: items('cost', 4),
  };
}

describe('pages of GET /exposures', () => {
  it('cuts the arrays in order at the page size, and joins back into the same body', () => {
    const whole = body(2 * EXPOSURES_PAGE_ITEMS - 10);
    const pages = [...exposuresPages(whole)];
    expect(pages.map(p => [p.page, p.pages])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(pages[0].paths).toHaveLength(EXPOSURES_PAGE_ITEMS);
    expect(pages[0].entries).toEqual([]);
    // The second page: the last 4,990 paths, then every other item.
    expect(pages[1].paths).toHaveLength(EXPOSURES_PAGE_ITEMS - 10);
    expect(pages[1].entries.map(e => e.id)).toEqual([
      'entry:0',
      'entry:1',
      'entry:2',
    ]);
    expect(pages[1].costs.map(c => c.id)).toEqual([
      'cost:0',
      'cost:1',
      'cost:2',
      'cost:3',
    ]);
    expect(pages.every(p => p.generatedAt === whole.generatedAt)).toBe(true);
    expect(joinExposuresPages(pages)).toEqual(whole);
  });

  it('has one page for an empty model', () => {
    const empty = {
      paths: [],
      entries: [],
      gateways: [],
      routes: [],
      costs: [],
    };
    expect([...exposuresPages(empty)]).toEqual([
      { ...empty, generatedAt: undefined, page: 0, pages: 1 },
    ]);
  });

  it('joins nothing from pages of two models or with a page missing', () => {
    const pages = [...exposuresPages(body(EXPOSURES_PAGE_ITEMS + 1))];
    const newer = [
      ...exposuresPages({
        ...body(EXPOSURES_PAGE_ITEMS + 1),
        generatedAt: '2026-12-06T00:01:00.000Z',
      }),
    ];
    expect(joinExposuresPages([pages[0], newer[1]])).toBeUndefined();
    expect(joinExposuresPages([pages[0]])).toBeUndefined();
    expect(joinExposuresPages([])).toBeUndefined();
  });

  it('reads every page, and again from the first when a newer model shows between two', async () => {
    const older = [...exposuresPages(body(2 * EXPOSURES_PAGE_ITEMS))];
    const newer = [
      ...exposuresPages({
        ...body(2 * EXPOSURES_PAGE_ITEMS + 1),
        generatedAt: '2026-12-06T00:01:00.000Z',
      }),
    ];
    // The model is replaced right after the first page was read.
    const served = [older[0], newer[1], newer[0], newer[1], newer[2]];
    const asked: number[] = [];
    const read = await readExposuresPages(async page => {
      asked.push(page);
      return served.shift()!;
    });
    expect(asked).toEqual([0, 1, 0, 1, 2]);
    expect(read).toEqual(joinExposuresPages(newer));
    expect(read.paths).toHaveLength(2 * EXPOSURES_PAGE_ITEMS + 1);
  });

  it('gives up, saying why, on a model that changes at every read', async () => {
    let minute = 0;
    const changing = async (page: number) =>
      [
        ...exposuresPages({
          ...body(EXPOSURES_PAGE_ITEMS + 1),
          generatedAt: `2026-12-06T00:${String(minute++).padStart(
            2,
            '0',
          )}:00.000Z`,
        }),
      ][page];
    await expect(readExposuresPages(changing)).rejects.toThrow(
      'The Ingress Atlas model changed while its 2 pages of exposures were read, 5 times in a row',
    );
  });
});
