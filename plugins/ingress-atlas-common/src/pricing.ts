import type {
  BillableResource,
  CloudProvider,
  Cost,
  CostPart,
  Entry,
} from './model';
import { isCloudProvider } from './model';

/**
 * Prices are quoted per hour; a month is 30 days.
 *
 * @public
 */
export const HOURS_PER_MONTH = 720;

/**
 * Every item the catalogue can price, with the unit its amount is in.
 *
 * @public
 */
export const PRICE_ITEMS = {
  /** Instance fee of a classic load balancer (Tencent CLB, Aliyun CLB, Huawei ELB). */
  loadBalancer: 'CNY/hour',
  /** Fee for the public IP of a public classic load balancer, where billed apart (Aliyun CLB). */
  loadBalancerPublicIp: 'CNY/hour',
  networkLoadBalancer: 'CNY/hour',
  applicationLoadBalancer: 'CNY/hour',
  /** An elastic IP allocated but bound to nothing. */
  eipUnbound: 'CNY/hour',
  eipTraffic: 'CNY/GB',
  /** Public traffic of a traffic-billed load balancer; priced as `eipTraffic` when absent. */
  loadBalancerTraffic: 'CNY/GB',
  eipBandwidthUpTo5Mbps: 'CNY/Mbps-hour',
  eipBandwidthAbove5Mbps: 'CNY/Mbps-hour',
  vpcEndpoint: 'CNY/hour',
} as const;

/** @public */
export type PriceItem = keyof typeof PRICE_ITEMS;

/** @public */
export interface Price {
  amount: number;
  unit: string;
  /** Where the figure comes from: a price list, a price API, configuration. */
  source: string;
  /** When the figure was read (YYYY-MM-DD). */
  date: string;
}

/** @public */
export type ProviderPrices = Partial<Record<PriceItem, Price>>;

/** @public */
export type PriceCatalogue = Partial<Record<CloudProvider, ProviderPrices>>;

/**
 * An override: a whole price, or just an amount (unit and item kept, source from the caller).
 *
 * @public
 */
export type PriceOverrides = Partial<
  Record<string, Partial<Record<string, number | Partial<Price>>>>
>;

const RECORDED = '2026-11-21';

function price(item: PriceItem, amount: number, source: string): Price {
  return { amount, unit: PRICE_ITEMS[item], source, date: RECORDED };
}

/**
 * Catalogue figures. They drift: prefer the providers' price APIs and configuration, which
 * override these through {@link mergePriceCatalogue}.
 *
 * @public
 */
export const DEFAULT_PRICES: PriceCatalogue = {
  tencent: {
    loadBalancer: price(
      'loadBalancer',
      0.2,
      'Tencent Cloud CLB price list, pay-as-you-go instance fee',
    ),
    eipUnbound: price(
      'eipUnbound',
      0.2,
      'Tencent Cloud EIP price list, idle IP fee (mainland)',
    ),
    eipTraffic: price(
      'eipTraffic',
      0.8,
      'Tencent Cloud EIP price list, traffic (mainland)',
    ),
    eipBandwidthUpTo5Mbps: price(
      'eipBandwidthUpTo5Mbps',
      0.063,
      'Tencent Cloud EIP price list, hourly bandwidth up to 5 Mbps',
    ),
    eipBandwidthAbove5Mbps: price(
      'eipBandwidthAbove5Mbps',
      0.25,
      'Tencent Cloud EIP price list, hourly bandwidth above 5 Mbps',
    ),
  },
  aliyun: {
    loadBalancer: price(
      'loadBalancer',
      0.147,
      'Alibaba Cloud CLB price list, instance fee (instances from 2024-12-01)',
    ),
    loadBalancerPublicIp: price(
      'loadBalancerPublicIp',
      0.02,
      'Alibaba Cloud CLB price list, public IP retention',
    ),
    networkLoadBalancer: price(
      'networkLoadBalancer',
      0.147,
      'Alibaba Cloud NLB price list, instance fee',
    ),
    applicationLoadBalancer: price(
      'applicationLoadBalancer',
      0.147,
      'Alibaba Cloud ALB price list, standard edition',
    ),
  },
  huawei: {
    vpcEndpoint: price(
      'vpcEndpoint',
      0.1,
      'Huawei Cloud VPC Endpoint price list (2.4 CNY/day)',
    ),
    eipUnbound: price(
      'eipUnbound',
      0.02,
      'Huawei Cloud EIP price list, retention when unbound',
    ),
    eipBandwidthUpTo5Mbps: price(
      'eipBandwidthUpTo5Mbps',
      0.063,
      'Huawei Cloud EIP price list, 5 Mbit/s = 0.315 CNY/h',
    ),
  },
};

/**
 * Applies overrides (configuration, price APIs) on top of a catalogue. A bare number replaces
 * the amount and takes `defaults` as its source and date. Unknown providers or items throw,
 * naming the key, so a typo in configuration fails loudly.
 *
 * @public
 */
export function mergePriceCatalogue(
  base: PriceCatalogue,
  overrides: PriceOverrides | undefined,
  defaults: { source: string; date: string } = {
    source: 'configuration',
    date: RECORDED,
  },
): PriceCatalogue {
  const merged: PriceCatalogue = {};
  for (const [provider, items] of Object.entries(base)) {
    merged[provider as CloudProvider] = { ...items };
  }
  for (const [provider, items] of Object.entries(overrides ?? {})) {
    if (!isCloudProvider(provider)) {
      throw new Error(`Unknown price provider '${provider}'`);
    }
    const target = (merged[provider as CloudProvider] ??= {});
    for (const [item, value] of Object.entries(items ?? {})) {
      if (!(item in PRICE_ITEMS)) {
        throw new Error(
          `Unknown price item '${provider}.${item}'; known items: ${Object.keys(
            PRICE_ITEMS,
          ).join(', ')}`,
        );
      }
      const key = item as PriceItem;
      const override =
        typeof value === 'number' ? { amount: value } : value ?? {};
      const amount = override.amount ?? target[key]?.amount;
      if (
        typeof amount !== 'number' ||
        !Number.isFinite(amount) ||
        amount < 0
      ) {
        throw new Error(
          `Price '${provider}.${item}' needs a non-negative amount`,
        );
      }
      const replacesAmount = override.amount !== undefined;
      target[key] = {
        amount,
        unit: PRICE_ITEMS[key],
        source:
          override.source ??
          (replacesAmount
            ? defaults.source
            : target[key]?.source ?? defaults.source),
        date:
          override.date ??
          (replacesAmount ? defaults.date : target[key]?.date ?? defaults.date),
      };
    }
  }
  return merged;
}

/**
 * Rounds money to fen.
 *
 * @public
 */
export function roundCny(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** The catalogue item of each kind of load balancer; a kind not listed is priced as a classic one. */
const LOAD_BALANCER_ITEMS: Record<string, PriceItem> = {
  clb: 'loadBalancer',
  elb: 'loadBalancer',
  nlb: 'networkLoadBalancer',
  alb: 'applicationLoadBalancer',
};

/**
 * What one billable resource costs per hour, and the items no price is known for.
 *
 * @public
 */
export interface ResourceCost {
  parts: CostPart[];
  unpriced: string[];
}

function hourly(
  resource: BillableResource,
  p: Price | undefined,
  item: string,
  quantityPerHour = 1,
): ResourceCost {
  if (!p) {
    return {
      parts: [],
      unpriced: [`${resource.provider} ${item} (${resource.id})`],
    };
  }
  const quantity = quantityPerHour * HOURS_PER_MONTH;
  return {
    parts: [
      {
        item,
        resource: resource.id,
        amountCny: roundCny(p.amount * quantity),
        unitPrice: p.amount,
        unit: p.unit,
        quantity,
        source: p.source,
        date: p.date,
      },
    ],
    unpriced: [],
  };
}

function combine(...costs: ResourceCost[]): ResourceCost {
  return {
    parts: costs.flatMap(c => c.parts),
    unpriced: costs.flatMap(c => c.unpriced),
  };
}

/**
 * The fixed monthly cost of one cloud resource (traffic excluded).
 *
 * @public
 */
export function resourceMonthlyCost(
  resource: BillableResource,
  prices: PriceCatalogue,
): ResourceCost {
  const table = prices[resource.provider] ?? {};
  switch (resource.kind) {
    case 'load-balancer': {
      const item =
        LOAD_BALANCER_ITEMS[resource.loadBalancerKind ?? ''] ?? 'loadBalancer';
      const instance = hourly(resource, table[item], item);
      // Only a classic load balancer bills its public IP apart; NLB and ALB bill EIPs of their own.
      const publicIp =
        item === 'loadBalancer' &&
        resource.network === 'public' &&
        table.loadBalancerPublicIp
          ? hourly(resource, table.loadBalancerPublicIp, 'loadBalancerPublicIp')
          : { parts: [], unpriced: [] };
      return combine(instance, publicIp);
    }
    case 'eip': {
      if (resource.bound === false) {
        return hourly(resource, table.eipUnbound, 'eipUnbound');
      }
      const mbps = resource.bandwidthMbps ?? 0;
      if (resource.chargeType === 'BANDWIDTH_POSTPAID_BY_HOUR' && mbps > 0) {
        const small = Math.min(mbps, 5);
        const large = Math.max(mbps - 5, 0);
        return combine(
          hourly(
            resource,
            table.eipBandwidthUpTo5Mbps,
            'eipBandwidthUpTo5Mbps',
            small,
          ),
          large > 0
            ? hourly(
                resource,
                table.eipBandwidthAbove5Mbps,
                'eipBandwidthAbove5Mbps',
                large,
              )
            : { parts: [], unpriced: [] },
        );
      }
      if (
        resource.chargeType === 'BANDWIDTH_PREPAID_BY_MONTH' ||
        resource.chargeType === 'BANDWIDTH_PACKAGE'
      ) {
        return {
          parts: [],
          unpriced: [
            `${resource.provider} ${resource.chargeType} bandwidth (${resource.id})`,
          ],
        };
      }
      // Traffic-billed (the default for pod EIPs): no fixed fee while bound.
      return { parts: [], unpriced: [] };
    }
    case 'vpc-endpoint':
      return hourly(resource, table.vpcEndpoint, 'vpcEndpoint');
    default:
      return { parts: [], unpriced: [] };
  }
}

/**
 * The price per GB of the public traffic through an entry's resources: a load balancer's own
 * traffic price where the catalogue has one, else the provider's EIP traffic price.
 *
 * @public
 */
export function trafficPrice(
  provider: CloudProvider,
  resources: Array<Pick<BillableResource, 'kind'>>,
  prices: PriceCatalogue,
): Price | undefined {
  const table = prices[provider] ?? {};
  const throughLoadBalancer = resources.some(r => r.kind === 'load-balancer');
  return (
    (throughLoadBalancer ? table.loadBalancerTraffic : undefined) ??
    table.eipTraffic
  );
}

/**
 * The monthly cost of an entry: the fixed fees of its cloud resources, plus traffic when the
 * monthly volume is known (otherwise traffic stays 'unknown').
 *
 * @public
 */
export function monthlyCost(
  entry: Pick<Entry, 'id' | 'provider' | 'resources'>,
  prices: PriceCatalogue,
  options: {
    trafficGbPerMonth?: number;
    /** What measured the volume. */
    measurement?: { source: string; from: string; to: string };
  } = {},
): Pick<Cost, 'monthlyCny' | 'parts' | 'unpriced' | 'traffic'> {
  const fixed = combine(
    ...entry.resources.map(r => resourceMonthlyCost(r, prices)),
  );
  const price = trafficPrice(entry.provider, entry.resources, prices);
  const traffic: Cost['traffic'] =
    options.trafficGbPerMonth !== undefined && price
      ? {
          gbPerMonth: options.trafficGbPerMonth,
          amountCny: roundCny(options.trafficGbPerMonth * price.amount),
          unitPrice: price.amount,
          priceSource: `${price.source} (${price.date})`,
          ...(options.measurement ? { measurement: options.measurement } : {}),
        }
      : 'unknown';
  const monthly =
    fixed.parts.reduce((sum, part) => sum + part.amountCny, 0) +
    (traffic === 'unknown' ? 0 : traffic.amountCny);
  return {
    monthlyCny: roundCny(monthly),
    parts: fixed.parts,
    unpriced: fixed.unpriced,
    traffic,
  };
}
