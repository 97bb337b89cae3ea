import { Client as ClbClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_client';
import { Client as DnspodClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_client';
import { Client as TkeClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/v20180525/tke_client';
import { Client as VpcClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_client';
import type { ClientConfig } from 'tencentcloud-sdk-nodejs/tencentcloud/common/interface';
import type { TencentAccount } from './clusters';

/** Signed clients for one Tencent Cloud account, one per product and region. */
export class TencentCloud {
  readonly account: string;
  readonly #config: (region?: string) => ClientConfig;

  constructor(account: TencentAccount) {
    this.account = account.name;
    this.#config = region => ({
      credential: { secretId: account.secretId, secretKey: account.secretKey },
      region,
      profile: {
        language: 'en-US',
        httpProfile: {
          reqTimeout: 30,
          ...(account.endpoint && {
            endpoint: account.endpoint.host,
            protocol: account.endpoint.protocol,
          }),
        },
      },
    });
  }

  clb(region: string): ClbClient {
    return new ClbClient(this.#config(region));
  }

  vpc(region: string): VpcClient {
    return new VpcClient(this.#config(region));
  }

  tke(region: string): TkeClient {
    return new TkeClient(this.#config(region));
  }

  /** DNSPod is not regional. */
  dnspod(): DnspodClient {
    return new DnspodClient(this.#config());
  }
}

/**
 * The error code of a failed call (`ResourceNotFound.NoDataOfRecord`, ...). Checked by field,
 * not `instanceof`: several copies of the SDK's exception class may be loaded.
 */
export function tencentErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A one-line description of a failed call, without request payloads. */
export function describeTencentError(error: unknown): string {
  const e = error as { code?: string; message?: string; requestId?: string };
  return [e.code, e.message, e.requestId && `request ${e.requestId}`]
    .filter(Boolean)
    .join(': ');
}
