/**
 * Values kept until their own expiry time, and at most `maxEntries` of them: when more are
 * set, the one set longest ago goes first. An expired value is never returned.
 *
 * @public
 */
export class ExpiringCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { maxEntries: number; now?: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** The value of `key`, unless it has expired. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.#now()) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps `value` for `key` until `expiresAt` (ms since the epoch). */
  set(key: K, value: V, expiresAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    if (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** Forgets `key`, if it still holds `value` (when given). */
  delete(key: K, value?: V): void {
    if (value === undefined || this.#entries.get(key)?.value === value) {
      this.#entries.delete(key);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
