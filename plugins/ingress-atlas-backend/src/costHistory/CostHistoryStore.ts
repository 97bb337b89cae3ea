import {
  AtlasModel,
  COST_HISTORY_DAYS,
  CostHistoryAmount,
  CostHistoryDay,
  CostHistoryResponse,
  summarizeCost,
  summarizeUnpriced,
  withoutAccountInventory,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { Knex } from 'knex';

/** The model prices in CNY; the column is there for the day it does not. */
const CURRENCY = 'CNY';

/** Rows inserted per statement: SQLite takes at most 999 values in one. */
const ROWS_PER_INSERT = 100;

/**
 * `account`: the whole cost; `exposures`: without the account's idle and orphaned resources,
 * as a reader without `ingress-atlas.cloud-inventory.read` sees it.
 */
type Scope = 'account' | 'exposures';

interface CostRow {
  day: string;
  scope: Scope;
  dimension: 'total' | 'cluster' | 'provider';
  key: string;
  monthly_amount: number;
  currency: string;
  unpriced: boolean;
  recorded_at: string;
}

/** The UTC date of a timestamp, `YYYY-MM-DD`. */
function utcDay(time: string | Date): string {
  return new Date(time).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return utcDay(date);
}

function rowsOf(
  model: AtlasModel,
  scope: Scope,
): Array<Omit<CostRow, 'day' | 'recorded_at'>> {
  const summary = summarizeCost(model);
  const unpriced = summarizeUnpriced(model);
  const row = (
    dimension: CostRow['dimension'],
    key: string,
    amount: number,
    isUnpriced: boolean,
  ) => ({
    scope,
    dimension,
    key,
    monthly_amount: amount,
    currency: CURRENCY,
    unpriced: isUnpriced,
  });
  return [
    row('total', '', summary.totalMonthlyCny, unpriced.total),
    ...Object.entries(summary.byCluster).map(([cluster, amount]) =>
      row('cluster', cluster, amount, unpriced.byCluster.includes(cluster)),
    ),
    ...Object.entries(summary.byProvider).map(([provider, amount]) =>
      row('provider', provider, amount, unpriced.byProvider.includes(provider)),
    ),
  ];
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

  /** Records the model's cost as that of the day it was generated on. */
  async record(model: AtlasModel): Promise<void> {
    const day = utcDay(model.generatedAt);
    const rows: CostRow[] = [
      ...rowsOf(model, 'account'),
      ...rowsOf(withoutAccountInventory(model), 'exposures'),
    ].map(row => ({ ...row, day, recorded_at: model.generatedAt }));
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
