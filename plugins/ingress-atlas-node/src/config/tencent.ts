import type { Config } from '@backstage/config';

export type KubeconfigAccess = 'intranet' | 'extranet' | 'none';

/** One configured Tencent Cloud account. `credentials` must never be logged or returned. */
export interface TencentAccount {
  name: string;
  regions: string[];
  credentials?: { secretId: string; secretKey: string; token?: string };
  endpoint?: string;
  kubeconfigAccess: KubeconfigAccess;
}

const KEY = 'ingressAtlas.providers.tencent';
const REGION_PATTERN = /^[a-z]{2}-[a-z0-9-]+$/;
const KUBECONFIG_ACCESS: KubeconfigAccess[] = ['intranet', 'extranet', 'none'];

function invalid(key: string, problem: string): Error {
  return new Error(`Invalid config at '${key}': ${problem}`);
}

function readEndpoint(
  value: string | undefined,
  key: string,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.replace('{product}', 'clb'));
  } catch {
    throw invalid(key, `'${value}' is not a URL`);
  }
  if (
    !['http:', 'https:'].includes(url.protocol) ||
    url.pathname !== '/' ||
    url.search
  ) {
    throw invalid(
      key,
      `'${value}' must be an http(s) origin such as https://clb.internal.tencentcloudapi.com`,
    );
  }
  return value;
}

/** Reads `ingressAtlas.providers.tencent`; throws naming the first bad key. */
export function readTencentAccounts(config: Config): TencentAccount[] {
  const entries = config.getOptionalConfigArray(KEY) ?? [];
  const accounts = entries.map((entry, index): TencentAccount => {
    const at = (key: string) => `${KEY}[${index}].${key}`;

    const regions = entry.getStringArray('regions');
    if (regions.length === 0) {
      throw invalid(
        at('regions'),
        'list at least one region, e.g. ap-guangzhou',
      );
    }
    regions.forEach((region, i) => {
      if (!REGION_PATTERN.test(region)) {
        throw invalid(
          `${at('regions')}[${i}]`,
          `'${region}' is not a Tencent Cloud region such as ap-guangzhou`,
        );
      }
    });

    const kubeconfigAccess = (entry.getOptionalString('kubeconfigAccess') ??
      'intranet') as KubeconfigAccess;
    if (!KUBECONFIG_ACCESS.includes(kubeconfigAccess)) {
      throw invalid(
        at('kubeconfigAccess'),
        `must be one of ${KUBECONFIG_ACCESS.join(', ')}`,
      );
    }

    const credentials = entry.getOptionalConfig('credentials');
    return {
      name: entry.getString('name'),
      regions,
      credentials: credentials && {
        secretId: credentials.getString('secretId'),
        secretKey: credentials.getString('secretKey'),
        token: credentials.getOptionalString('token'),
      },
      endpoint: readEndpoint(
        entry.getOptionalString('endpoint'),
        at('endpoint'),
      ),
      kubeconfigAccess,
    };
  });

  accounts.forEach((account, index) => {
    if (accounts.findIndex(a => a.name === account.name) !== index) {
      throw invalid(
        `${KEY}[${index}].name`,
        `'${account.name}' is already used by another account`,
      );
    }
  });
  return accounts;
}
