import { Knex } from 'knex';

/** What is known of a lease: who holds it and until when (-1: released by its holder). */
export interface LeaseState {
  holder: string;
  expiresAt: number;
}

const RELEASED = -1;

/**
 * Leases in the plugin's database (table `leases`, created by the store's migrations): work
 * that one replica at a time may do is done under a lease its holder renews while working. A
 * holder that dies stops renewing, and its lease runs out within its time to live.
 */
export class Leases {
  static create(options: { db: Knex; now?: () => number }) {
    return new Leases(options.db, options.now ?? Date.now);
  }

  private constructor(
    private readonly db: Knex,
    private readonly now: () => number,
  ) {}

  /** Takes the lease if it is free, ran out, or is already the holder's. */
  async tryAcquire(
    name: string,
    holder: string,
    ttlMs: number,
  ): Promise<boolean> {
    const now = this.now();
    await this.db('leases')
      .insert({ name, holder, expires_at: RELEASED })
      .onConflict('name')
      .ignore();
    // One conditional update: of two replicas racing for a free lease, exactly one wins.
    const taken = await this.db('leases')
      .where({ name })
      .andWhere(q => q.where({ holder }).orWhere('expires_at', '<=', now))
      .update({ holder, expires_at: now + ttlMs });
    return taken === 1;
  }

  /** Extends the holder's lease; false when it was lost (ran out and taken by another). */
  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.db('leases')
      .where({ name, holder })
      .update({ expires_at: this.now() + ttlMs });
    return renewed === 1;
  }

  /** Gives the lease up, marking it released (not run out) for those waiting on it. */
  async release(name: string, holder: string): Promise<void> {
    await this.db('leases')
      .where({ name, holder })
      .update({ expires_at: RELEASED });
  }

  async state(name: string): Promise<LeaseState | undefined> {
    const row = await this.db('leases').where({ name }).first();
    return row && { holder: row.holder, expiresAt: Number(row.expires_at) };
  }
}
