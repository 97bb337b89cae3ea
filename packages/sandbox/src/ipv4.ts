/** Whether an IPv4 address lies in a CIDR block. */
export function inCidr(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const offset = toNumber(address) - toNumber(base);
  return offset >= 0 && offset < size;
}

/**
 * Hands out free addresses of an IPv4 CIDR, skipping the network and broadcast addresses and
 * the first host (the gateway): `next()` from the bottom, `highest()` from the top.
 */
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

  highest(): string | undefined {
    for (let offset = this.#size - 2; offset >= 2; offset--) {
      const address = toAddress(this.#base + offset);
      if (this.claim(address)) {
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
