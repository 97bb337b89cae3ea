import { createHash } from 'node:crypto';

const MAX_LENGTH = 63;

/**
 * A stable catalog entity name: lower case, runs of other characters as one dash, and a hash
 * of the original when it has to be shortened, so two long names never become one.
 */
export function entityName(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug && slug.length <= MAX_LENGTH) return slug;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const head = slug.slice(0, MAX_LENGTH - hash.length - 1).replace(/-+$/, '');
  return head ? `${head}-${hash}` : hash;
}
