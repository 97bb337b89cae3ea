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

/** Hands out free addresses of an IPv4 CIDR, lowest first, skipping the network and gateway addresses. */
export class AddressPool {
  readonly #base: number;
  readonly #size: number;
  readonly #used: Set<string>;
  #cursor = 2;

  constructor(cidr: string, used: Iterable<string>) {
    const [address, bits] = cidr.split('/');
    this.#base = toNumber(address);
    this.#size = 2 ** (32 - Number(bits));
    this.#used = new Set(used);
  }

  /** Takes a given address if it is free. */
  claim(address: string): boolean {
    if (this.#used.has(address)) {
      return false;
    }
    this.#used.add(address);
    return true;
  }

  next(): string | undefined {
    for (; this.#cursor < this.#size - 1; this.#cursor++) {
      const address = toAddress(this.#base + this.#cursor);
      if (!this.#used.has(address)) {
        this.#used.add(address);
        return address;
      }
    }
    return undefined;
  }
}

function toNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0]
    .map(shift => Math.floor(n / 2 ** shift) % 256)
    .join('.');
}
