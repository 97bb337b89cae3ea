import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClbClient,
  DnspodClient,
  TencentAccount,
  TencentClients,
  TkeClient,
  VpcClient,
} from '@ingress-atlas/plugin-ingress-atlas-node';

export { describeTencentError } from '@ingress-atlas/plugin-ingress-atlas-node';

/** Calls that only read: retried on any transient failure. Others only when throttled. */
const READ_ONLY_ACTION = /^(Describe|Inquiry|Get|Check)/;

/**
 * The Tencent Cloud clients of one account for the actions: the same clients, credential
 * chain and retry as the Tencent module's, with every API call going through the retry.
 */
export class TencentCloud {
  readonly account: string;
  readonly #clients: TencentClients;

  constructor(account: TencentAccount, logger?: LoggerService) {
    this.account = account.name;
    this.#clients = TencentClients.create({ account, logger });
  }

  clb(region: string): ClbClient {
    return this.#retrying(this.#clients.clb(region), region);
  }

  vpc(region: string): VpcClient {
    return this.#retrying(this.#clients.vpc(region), region);
  }

  tke(region: string): TkeClient {
    return this.#retrying(this.#clients.tke(region), region);
  }

  /** DNSPod is not regional. */
  dnspod(): DnspodClient {
    return this.#retrying(this.#clients.dnspod(), '');
  }

  // The SDK names API actions in PascalCase (DescribeAddresses, ModifyRecord); its own
  // helpers are camelCase and pass through untouched.
  #retrying<T extends object>(client: T, region: string): T {
    const clients = this.#clients;
    return new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (
          typeof value !== 'function' ||
          typeof property !== 'string' ||
          !/^[A-Z]/.test(property)
        ) {
          return value;
        }
        return (...args: unknown[]) =>
          clients.call(
            {
              action: property,
              region,
              idempotent: READ_ONLY_ACTION.test(property),
            },
            () => value.apply(target, args),
          );
      },
    });
  }
}
