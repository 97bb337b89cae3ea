import {
  COST_HISTORY_DAYS,
  CostHistoryAmount,
  CostHistoryDay,
  CostHistoryResponse,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { Knex } from 'knex';
import { CURRENCY, CostRow, ModelCostDay, utcDay } from './costDay';

/** Rows inserted per statement: SQLite takes at most 999 values in one. */
const ROWS_PER_INSERT = 100;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return utcDay(date);
}

/**
 * The cost of each day (table `cost_history`, created by the store's migrations), for the
 * cost trend: each model published rewrites its day (UTC) with the cost it prices, so a day
 * holds the cost of the last model published on it. Days older than
 * {@link COST_HISTORY_DAYS} are deleted as a new day is written.
 */
export class CostHistoryStore {
  static create(options: { db: Knex }) {
    return new CostHistoryStore(options.db);
  }

  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Records a model's cost (see {@link costDayOf}) as that of its day. */
  async record({
    day,
    recordedAt,
    rows: dayRows,
  }: ModelCostDay): Promise<void> {
    const rows: CostRow[] = dayRows.map(row => ({
      ...row,
      day,
      recorded_at: recordedAt,
    }));
    await this.#db.transaction(async tx => {
      await tx('cost_history').where({ day }).delete();
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx('cost_history').insert(rows.slice(i, i + ROWS_PER_INSERT));
      }
      await tx('cost_history')
        .where('day', '<', addDays(day, 1 - COST_HISTORY_DAYS))
        .delete();
    });
  }

  /** The last `days` days up to today (UTC), as a reader with or without the account's inventory sees them. */
  async history(options: {
    days: number;
    accountInventory: boolean;
    now?: Date;
  }): Promise<CostHistoryResponse> {
    const to = utcDay(options.now ?? new Date());
    const from = addDays(to, 1 - options.days);
    const rows: CostRow[] = await this.#db('cost_history')
      .where({ scope: options.accountInventory ? 'account' : 'exposures' })
      .andWhere('day', '>=', from)
      .andWhere('day', '<=', to)
      .orderBy([{ column: 'day' }, { column: 'dimension' }, { column: 'key' }]);
    const days = new Map<string, CostHistoryDay>();
    for (const row of rows) {
      let day = days.get(row.day);
      if (!day) {
        day = {
          date: row.day,
          total: { amount: 0, unpriced: false },
          byCluster: {},
          byProvider: {},
        };
        days.set(row.day, day);
      }
      const amount: CostHistoryAmount = {
        amount: Number(row.monthly_amount),
        // SQLite answers 0 and 1.
        unpriced: Boolean(row.unpriced),
      };
      if (row.dimension === 'total') day.total = amount;
      else if (row.dimension === 'cluster') day.byCluster[row.key] = amount;
      else day.byProvider[row.key] = amount;
    }
    return {
      unit: `${rows[0]?.currency ?? CURRENCY}/month`,
      from,
      to,
      days: [...days.values()],
    };
  }
}
