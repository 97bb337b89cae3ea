export {
  readAllowInsecureHttp,
  readConfigClusters,
  skipsTlsVerify,
} from './clusters';
export {
  readTencentAccounts,
  type KubeconfigAccess,
  type TencentAccount,
} from './tencent';
export { readPriceOverrides } from './prices';
export { validateClusterUrl } from './validateClusterUrl';
