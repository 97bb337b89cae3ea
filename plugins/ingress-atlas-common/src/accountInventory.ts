import type { AtlasModel, Cost, Finding } from './model';

/**
 * What of the model is the cloud account's inventory rather than part of an exposure, and so
 * readable only with `ingress-atlas.cloud-inventory.read`: load balancers and EIPs that serve
 * no entry (idle, orphaned), their costs, and the findings about them (their objects belong to
 * no cluster). A load balancer or EIP in front of an entry is part of that exposure and
 * readable with `ingress-atlas.read`, as is everything else of the model.
 *
 * @public
 */
export function isAccountInventoryCost(cost: Cost): boolean {
  return cost.entry === undefined;
}

/**
 * See {@link isAccountInventoryCost}.
 *
 * @public
 */
export function isAccountInventoryFinding(finding: Finding): boolean {
  return finding.objects.length > 0 && finding.objects.every(o => !o.cluster);
}

/**
 * The model as a reader without `ingress-atlas.cloud-inventory.read` sees it.
 *
 * @public
 */
export function withoutAccountInventory<
  T extends Partial<Pick<AtlasModel, 'costs' | 'findings'>>,
>(model: T): T {
  return {
    ...model,
    ...(model.costs && {
      costs: model.costs.filter(c => !isAccountInventoryCost(c)),
    }),
    ...(model.findings && {
      findings: model.findings.filter(f => !isAccountInventoryFinding(f)),
    }),
  };
}

/**
 * Label (value `"true"`) of the catalog Resources that are account inventory: load balancers
 * and EIPs that serve no entry. The bundled permission policy hides them from readers without
 * `ingress-atlas.cloud-inventory.read`, in the catalog and in search alike.
 *
 * @public
 */
export const ACCOUNT_INVENTORY_LABEL = 'ingress-atlas.io/account-inventory';
