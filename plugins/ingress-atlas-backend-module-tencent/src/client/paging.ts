/** The most the Describe actions we page through return per call. */
export const PAGE_LIMIT = 100;

/** Reads Offset/Limit pages until the reported total (or an empty page) is reached. */
export async function readAllPages<T>(
  readPage: (
    offset: number,
    limit: number,
  ) => Promise<{ items?: T[]; total?: number }>,
): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const { items = [], total = 0 } = await readPage(all.length, PAGE_LIMIT);
    all.push(...items);
    if (items.length === 0 || all.length >= total) {
      return all;
    }
  }
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight, keeping the order. */
export async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  return results;
}
