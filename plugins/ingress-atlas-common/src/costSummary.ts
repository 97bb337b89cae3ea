import type { AtlasModel } from './model';
import { roundCny } from './pricing';

/**
 * `GET /cost`'s summary: monthly totals of the model's costs, CNY.
 *
 * @public
 */
export interface CostSummary {
  totalMonthlyCny: number;
  idleWasteMonthlyCny: number;
  potentialSavingMonthlyCny: number;
  byCluster: Record<string, number>;
  byProvider: Record<string, number>;
  byEntryType: Record<string, number>;
}

/** @public */
export function summarizeCost(model: AtlasModel): CostSummary {
  const entries = new Map(model.entries.map(e => [e.id, e]));
  const add = (totals: Record<string, number>, key: string, amount: number) => {
    totals[key] = roundCny((totals[key] ?? 0) + amount);
  };
  const summary: CostSummary = {
    totalMonthlyCny: 0,
    idleWasteMonthlyCny: 0,
    potentialSavingMonthlyCny: 0,
    byCluster: {},
    byProvider: {},
    byEntryType: {},
  };
  for (const cost of model.costs) {
    const entry = cost.entry ? entries.get(cost.entry) : undefined;
    summary.totalMonthlyCny += cost.monthlyCny;
    if (cost.state !== 'in-use') summary.idleWasteMonthlyCny += cost.monthlyCny;
    add(summary.byProvider, cost.provider, cost.monthlyCny);
    add(summary.byCluster, entry?.cluster ?? 'unattached', cost.monthlyCny);
    add(summary.byEntryType, entry?.type ?? cost.state, cost.monthlyCny);
  }
  summary.potentialSavingMonthlyCny = model.recommendations.reduce(
    (sum, r) => sum + r.savingMonthlyCny,
    0,
  );
  summary.totalMonthlyCny = roundCny(summary.totalMonthlyCny);
  summary.idleWasteMonthlyCny = roundCny(summary.idleWasteMonthlyCny);
  summary.potentialSavingMonthlyCny = roundCny(
    summary.potentialSavingMonthlyCny,
  );
  return summary;
}
