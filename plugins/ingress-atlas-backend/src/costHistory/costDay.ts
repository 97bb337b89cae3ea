import {
  AtlasModel,
  CostedModel,
  summarizeCost,
  summarizeUnpriced,
  withoutAccountInventory,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/** The model prices in CNY; the column is there for the day it does not. */
export const CURRENCY = 'CNY';

/**
 * `account`: the whole cost; `exposures`: without the account's idle and orphaned resources,
 * as a reader without `ingress-atlas.cloud-inventory.read` sees it.
 */
export type Scope = 'account' | 'exposures';

export interface CostRow {
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
export function utcDay(time: string | Date): string {
  return new Date(time).toISOString().slice(0, 10);
}

function rowsOf(
  model: CostedModel,
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
 * What a model costs, as a day's rows of the cost history: worked out where the model is held
 * (the analysis worker), recorded by {@link CostHistoryStore.record}.
 */
export interface ModelCostDay {
  day: string;
  recordedAt: string;
  rows: Array<Omit<CostRow, 'day' | 'recorded_at'>>;
}

/** The model's cost, as that of the day it was generated on. */
export function costDayOf(
  model: CostedModel & Pick<AtlasModel, 'generatedAt'>,
): ModelCostDay {
  return {
    day: utcDay(model.generatedAt),
    recordedAt: model.generatedAt,
    rows: [
      ...rowsOf(model, 'account'),
      ...rowsOf(withoutAccountInventory(model), 'exposures'),
    ],
  };
}
