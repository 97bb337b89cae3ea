import type { LoggerService } from '@backstage/backend-plugin-api';
import { clb } from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb';
import { dnspod } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod';
import { monitor } from 'tencentcloud-sdk-nodejs/tencentcloud/services/monitor';
import { tcm } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tcm';
import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc';
import { DefaultCredentialProvider } from 'tencentcloud-sdk-nodejs/tencentcloud/common';
import type { ClientConfig } from 'tencentcloud-sdk-nodejs/tencentcloud/common/interface';
import type { TencentAccount } from '../config';
import {
  DEFAULT_TENCENT_RETRY,
  RetryOptions,
  isRetryable,
  withRetry,
} from './retry';

/** @public */
export type ClbClient = InstanceType<typeof clb.v20180317.Client>;
/** @public */
export type VpcClient = InstanceType<typeof vpc.v20170312.Client>;
/** @public */
export type TkeClient = InstanceType<typeof tke.v20180525.Client>;
/** @public */
export type TcmClient = InstanceType<typeof tcm.v20210413.Client>;
/** @public */
export type MonitorClient = InstanceType<typeof monitor.v20180724.Client>;
/** @public */
export type DnspodClient = InstanceType<typeof dnspod.v20210323.Client>;

const REQUEST_TIMEOUT_SECONDS = 30;

/**
 * SDK clients of one account, per product and region, and the retrying call every
 * concern goes through: the Tencent module's reads and the scaffolder actions' changes.
 * Holds the account's credentials (or the SDK's default chain); nothing here logs them.
 *
 * @public
 */
export class TencentClients {
  readonly account: string;
  readonly #credential: ClientConfig['credential'];
  readonly #endpoint?: string;
  readonly #logger?: LoggerService;
  readonly #retry: RetryOptions;
  readonly #clients = new Map<string, unknown>();

  static create(options: {
    account: TencentAccount;
    logger?: LoggerService;
    retry?: Partial<RetryOptions>;
  }) {
    return new TencentClients(options);
  }

  private constructor(options: {
    account: TencentAccount;
    logger?: LoggerService;
    retry?: Partial<RetryOptions>;
  }) {
    const { account } = options;
    this.account = account.name;
    this.#credential = account.credentials
      ? { ...account.credentials }
      : new DefaultCredentialProvider();
    this.#endpoint = account.endpoint;
    this.#logger = options.logger;
    this.#retry = { ...DEFAULT_TENCENT_RETRY, ...options.retry };
  }

  clb(region: string): ClbClient {
    return this.#client('clb', region, clb.v20180317.Client);
  }

  vpc(region: string): VpcClient {
    return this.#client('vpc', region, vpc.v20170312.Client);
  }

  tke(region: string): TkeClient {
    return this.#client('tke', region, tke.v20180525.Client);
  }

  tcm(region: string): TcmClient {
    return this.#client('tcm', region, tcm.v20210413.Client);
  }

  /** Cloud Monitor (`GetMonitorData`). */
  monitor(region: string): MonitorClient {
    return this.#client('monitor', region, monitor.v20180724.Client);
  }

  /** DNSPod is not regional. */
  dnspod(): DnspodClient {
    return this.#client('dnspod', '', dnspod.v20210323.Client);
  }

  /**
   * Runs one API call, retrying throttling, 5xx and network failures with backoff. A call
   * that changes something (`idempotent: false`) is retried only when throttled: the API
   * refused it unread, whereas after a 5xx or a lost connection it may have been carried out.
   */
  call<T>(
    call: { action: string; region: string; idempotent?: boolean },
    fn: () => Promise<T>,
  ): Promise<T> {
    const { idempotent = true, ...fields } = call;
    const retryable = idempotent ? isRetryable : isThrottled;
    return withRetry(
      fn,
      { ...this.#retry, retryable },
      (attempt, error, delayMs) =>
        this.#logger?.debug('Retrying Tencent Cloud call', {
          account: this.account,
          ...fields,
          attempt,
          delayMs,
          error: error.message,
        }),
    );
  }

  #client<T>(
    product: string,
    region: string,
    Client: new (config: ClientConfig) => T,
  ): T {
    const key = `${product}/${region}`;
    if (!this.#clients.has(key)) {
      this.#clients.set(
        key,
        new Client({
          credential: this.#credential,
          region: region || undefined,
          profile: this.#profile(product),
        }),
      );
    }
    return this.#clients.get(key) as T;
  }

  #profile(product: string): ClientConfig['profile'] {
    // Error messages are shown to users and logged: in English, as the rest of the atlas.
    if (!this.#endpoint) {
      return {
        language: 'en-US',
        httpProfile: { reqTimeout: REQUEST_TIMEOUT_SECONDS },
      };
    }
    const url = new URL(this.#endpoint.replace('{product}', product));
    return {
      language: 'en-US',
      httpProfile: {
        endpoint: url.host,
        protocol: `${url.protocol}//`,
        reqTimeout: REQUEST_TIMEOUT_SECONDS,
      },
    };
  }
}

function isThrottled(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('RequestLimitExceeded');
}
