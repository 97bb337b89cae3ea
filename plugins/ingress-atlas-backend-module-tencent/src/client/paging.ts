/** The most the Describe actions we page through return per call. */
export const PAGE_LIMIT = 100;

/**
 * Reads Offset/Limit pages of `limit` items (PAGE_LIMIT unless the action allows another)
 * until the reported total (or an empty page) is reached.
 */
export async function readAllPages<T>(
  readPage: (
    offset: number,
    limit: number,
  ) => Promise<{ items?: T[]; total?: number }>,
  limit = PAGE_LIMIT,
): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const { items = [], total = 0 } = await readPage(all.length, limit);
    all.push(...items);
    if (items.length === 0 || all.length >= total) {
      return all;
    }
  }
}
