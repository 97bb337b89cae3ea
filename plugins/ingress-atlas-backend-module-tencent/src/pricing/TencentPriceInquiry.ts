import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  describeTencentError,
  type TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/** Hourly list prices (CNY) from the price inquiry actions; absent when an inquiry failed. */
export interface TencentHourlyPrices {
  /** Pay-as-you-go instance fee of a public CLB. */
  clbInstancePerHour?: number;
  /** IP fee of an EIP bound to nothing. */
  eipIdlePerHour?: number;
  source: 'tencent-inquiry-api';
  /** YYYY-MM-DD. */
  date: string;
}

/** A price item billed by the hour, as both inquiries answer it. */
interface ItemPrice {
  ChargeUnit?: string;
  UnitPrice?: number;
  UnitPriceDiscount?: number;
}

/** The account's price per hour (its discount applied, where the answer gives one). */
function perHour(item: ItemPrice | undefined): number | undefined {
  return item?.ChargeUnit === 'HOUR'
    ? item.UnitPriceDiscount ?? item.UnitPrice
    : undefined;
}

/** Asks the price inquiry actions instead of trusting catalogue figures that drift. */
export class TencentPriceInquiry {
  readonly #clients: TencentClients;
  readonly #logger: LoggerService;

  static create(options: { clients: TencentClients; logger: LoggerService }) {
    return new TencentPriceInquiry(options);
  }

  private constructor(options: {
    clients: TencentClients;
    logger: LoggerService;
  }) {
    this.#clients = options.clients;
    this.#logger = options.logger;
  }

  async inquire(region: string): Promise<TencentHourlyPrices> {
    const clbInstancePerHour = await this.#ask(
      'InquiryPriceCreateLoadBalancer',
      region,
      async () =>
        (
          await this.#clients.clb(region).InquiryPriceCreateLoadBalancer({
            LoadBalancerType: 'OPEN',
            LoadBalancerChargeType: 'POSTPAID',
          })
        ).Price?.InstancePrice,
    );
    const eipIdlePerHour = await this.#ask(
      'InquiryPriceAllocateAddresses',
      region,
      async () =>
        (
          await this.#clients.vpc(region).InquiryPriceAllocateAddresses({
            InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
          })
        ).Price?.IPPrice,
    );
    return {
      clbInstancePerHour,
      eipIdlePerHour,
      source: 'tencent-inquiry-api',
      date: new Date().toISOString().slice(0, 10),
    };
  }

  /** A failed inquiry leaves the catalogue figure in place; not worth more than a debug line. */
  async #ask(
    action: string,
    region: string,
    fn: () => Promise<ItemPrice | undefined>,
  ): Promise<number | undefined> {
    try {
      const price = perHour(await this.#clients.call({ action, region }, fn));
      return typeof price === 'number' && Number.isFinite(price) && price >= 0
        ? price
        : undefined;
    } catch (error) {
      this.#logger.debug('Price inquiry failed; the catalogue figure applies', {
        account: this.#clients.account,
        region,
        action,
        error: describeTencentError(error),
      });
      return undefined;
    }
  }
}
