import { Cost, CostPart } from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * A price's unit is per something (`CNY/hour`, `CNY/GB`, `CNY/Mbps-hour`); the quantity is
 * counted in that something: `720 hours`, `12 GB`, `3,600 Mbps-hours`.
 */
export function quantityUnit(part: Pick<CostPart, 'unit' | 'quantity'>) {
  const per = part.unit.replace(/^[A-Z]{3}\//, '');
  if (part.quantity === 1 || /^(GB|MB|TB)$/.test(per)) return per;
  return per.endsWith('s') ? per : `${per}s`;
}

/** The price unit with its currency: `CNY/hour` (a bare `hour` gets the catalogue's CNY). */
export function priceUnit(part: Pick<CostPart, 'unit'>) {
  return part.unit.includes('/') ? part.unit : `CNY/${part.unit}`;
}

/** Known to bill but with nothing priced: "not priced", never a cost of 0. */
export const isUnpriced = (cost: Cost) =>
  cost.parts.length === 0 && cost.unpriced.length > 0;

/** The cluster and type an entry id names (`entry:<cluster>/<type>/…`, the engine's ids). */
export function entryKeys(entryId?: string) {
  const match = entryId?.match(/^entry:([^/]+)\/([^/]+)\//);
  return match ? { cluster: match[1], type: match[2] } : undefined;
}
