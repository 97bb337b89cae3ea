import {
  AtlasModel,
  CostResponse,
  FindingsFilter,
  FindingsResponse,
  Topology,
  TopologyFilter,
  buildTopology,
  summarizeCost,
  withoutAccountInventory,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/** A view of the whole model a route answers with, and its query. */
export type DerivedView =
  | { route: 'topology'; filter: TopologyFilter }
  | { route: 'findings'; filter: FindingsFilter }
  | { route: 'cost' };

/** A derived view as one reader sees it: with or without the account's inventory. */
export interface DerivedRequest {
  view: DerivedView;
  accountInventory: boolean;
}

/**
 * The body of a derived view (plain data: it is built where the model is held). The model's
 * paths and routes, which the thread holding it keeps compressed, are read (`whole`) only for
 * the topology; without a model the views are empty.
 */
export function buildDerived(
  model: Omit<AtlasModel, 'paths' | 'routes'> | undefined,
  { view, accountInventory }: DerivedRequest,
  whole?: () => AtlasModel,
): Topology | FindingsResponse | CostResponse {
  const seen =
    model && !accountInventory ? withoutAccountInventory(model) : model;
  switch (view.route) {
    case 'topology': {
      if (!model || !whole) return { nodes: [], edges: [] };
      const all = whole();
      return buildTopology(
        accountInventory ? all : withoutAccountInventory(all),
        view.filter,
      );
    }
    case 'findings': {
      const { severity, cluster } = view.filter;
      return {
        findings: (seen?.findings ?? []).filter(
          f =>
            (!severity || f.severity === severity) &&
            (!cluster || f.objects.some(o => o.cluster === cluster)),
        ),
      };
    }
    case 'cost':
      return {
        summary: seen ? summarizeCost(seen) : undefined,
        costs: seen?.costs ?? [],
        recommendations: seen?.recommendations ?? [],
      };
    default:
      throw new Error(`Unknown view ${(view as { route: string }).route}`);
  }
}

/** One key per body: route, query and variant. */
export function derivedKey(request: DerivedRequest): string {
  return JSON.stringify(request);
}
