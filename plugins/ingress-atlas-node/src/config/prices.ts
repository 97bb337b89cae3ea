import type { Config } from '@backstage/config';
import {
  DEFAULT_PRICES,
  PriceOverrides,
  mergePriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * Reads `ingressAtlas.prices`, the operator's price overrides, for the atlas's costs and
 * the actions' estimates alike. Throws at startup naming a bad provider or item.
 *
 * @public
 */
export function readPriceOverrides(root: Config): PriceOverrides {
  const prices: PriceOverrides = {};
  const config = root.getOptionalConfig('ingressAtlas.prices');
  for (const provider of config?.keys() ?? []) {
    const items = config!.getConfig(provider);
    prices[provider] = Object.fromEntries(
      items.keys().map(item => [item, items.getNumber(item)]),
    );
  }
  try {
    mergePriceCatalogue(DEFAULT_PRICES, prices);
  } catch (error) {
    throw new Error(
      `Invalid config at 'ingressAtlas.prices': ${(error as Error).message}`,
    );
  }
  return prices;
}
