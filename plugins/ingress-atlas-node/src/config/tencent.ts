import type { Config } from '@backstage/config';
import { readAllowInsecureHttp } from './clusters';
import { validateClusterUrl } from './validateClusterUrl';

/**
 * Which kubeconfig of a TKE cluster the atlas fetches: the VPC one, the public one, or none.
 *
 * @public
 */
export type KubeconfigAccess = 'intranet' | 'extranet' | 'none';

/**
 * One account of `ingressAtlas.providers.tencent`, read by the Tencent module and the
 * scaffolder actions alike. `credentials` must never be logged or returned.
 *
 * @public
 */
export interface TencentAccount {
  name: string;
  regions: string[];
  /** Absent: the SDK's default chain (environment, profile file, CVM or TKE role). */
  credentials?: { secretId: string; secretKey: string; token?: string };
  /** An http(s) origin; `{product}` stands for the product's host label (`clb`, `vpc`, ...). */
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
  allowInsecureHttp: boolean,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  // Credentials are sent there: the same rules as for an API server, and an origin only.
  let url: URL;
  try {
    url = validateClusterUrl(value.replace('{product}', 'clb'), {
      allowInsecureHttp,
      what: key,
    });
  } catch (error) {
    throw invalid(key, (error as Error).message);
  }
  if (url.pathname !== '/') {
    throw invalid(
      key,
      `'${value}' must be an http(s) origin such as https://clb.internal.tencentcloudapi.com`,
    );
  }
  return value;
}

/**
 * Reads `ingressAtlas.providers.tencent`; throws naming the first bad key.
 *
 * @public
 */
export function readTencentAccounts(config: Config): TencentAccount[] {
  const allowInsecureHttp = readAllowInsecureHttp(config);
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
        allowInsecureHttp,
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
