import { createHash } from 'node:crypto';

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A stable pseudo-random suffix derived from `seed`, like `7d9f8b6c4f` or `x2k9q`. */
export function stableSuffix(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let suffix = '';
  for (let i = 0; i < length; i++) {
    suffix += ALPHABET[digest[i] % ALPHABET.length];
  }
  return suffix;
}

/** A stable UUID-shaped id derived from `seed` (for owners the sandbox does not store, like ReplicaSets). */
export function stableUid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function stableNumber(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0);
}
