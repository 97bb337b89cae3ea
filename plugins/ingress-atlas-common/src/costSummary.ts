import type { AtlasModel, Cost, Entry } from './model';
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

/**
 * What each figure of a {@link CostSummary} counts, as said to a person. Idle waste and possible
 * saving never count the same money: one is what resources serving nothing bill, the other what
 * changes to entries in use would save.
 *
 * @public
 */
export const COST_SUMMARY_DESCRIPTIONS: Readonly<
  Record<
    'totalMonthlyCny' | 'idleWasteMonthlyCny' | 'potentialSavingMonthlyCny',
    string
  >
> = {
  totalMonthlyCny:
    'What the load balancers, EIPs and VPC endpoints of ingress bill a month, idle ones included.',
  idleWasteMonthlyCny:
    'Billed for serving nothing: EIPs bound to nothing (clouds bill an unbound address by the hour), load balancers with no listeners or targets, and those a deleted Service left behind. Releasing or deleting them changes no traffic, once nothing outside the clusters is found to use them.',
  potentialSavingMonthlyCny:
    "What cheaper ways to serve entries in use would save, such as a gateway's pods on their own EIPs instead of a CLB. Traffic flows through these entries: each change has its caveats and a template that carries it out.",
};

/** The keys a cost is filed under in a {@link CostSummary}. */
function costKeys(cost: Cost, entries: Map<string, Entry>) {
  const entry = cost.entry ? entries.get(cost.entry) : undefined;
  return {
    cluster: entry?.cluster ?? 'unattached',
    provider: cost.provider,
    entryType: entry?.type ?? cost.state,
  };
}

/**
 * What the cost summaries read of a model.
 *
 * @public
 */
export type CostedModel = Pick<
  AtlasModel,
  'entries' | 'costs' | 'recommendations'
>;

/** @public */
export function summarizeCost(model: CostedModel): CostSummary {
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
    const keys = costKeys(cost, entries);
    summary.totalMonthlyCny += cost.monthlyCny;
    if (cost.state !== 'in-use') summary.idleWasteMonthlyCny += cost.monthlyCny;
    add(summary.byProvider, keys.provider, cost.monthlyCny);
    add(summary.byCluster, keys.cluster, cost.monthlyCny);
    add(summary.byEntryType, keys.entryType, cost.monthlyCny);
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

/**
 * What a {@link CostSummary} leaves out: whether its total, and which of its clusters and
 * providers, hold a cost known to bill that has no price. Their amounts are then a floor,
 * or no amount at all, never a cost of 0.
 *
 * @public
 */
export interface UnpricedCosts {
  total: boolean;
  byCluster: string[];
  byProvider: string[];
}

/** @public */
export function summarizeUnpriced(model: CostedModel): UnpricedCosts {
  const entries = new Map(model.entries.map(e => [e.id, e]));
  const clusters = new Set<string>();
  const providers = new Set<string>();
  for (const cost of model.costs) {
    if (cost.unpriced.length === 0) continue;
    const keys = costKeys(cost, entries);
    clusters.add(keys.cluster);
    providers.add(keys.provider);
  }
  return {
    total: providers.size > 0,
    byCluster: [...clusters].sort(),
    byProvider: [...providers].sort(),
  };
}
