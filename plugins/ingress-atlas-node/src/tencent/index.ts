export {
  TencentClients,
  type ClbClient,
  type DnspodClient,
  type TcmClient,
  type TkeClient,
  type VpcClient,
} from './TencentClients';
export {
  describeError as describeTencentError,
  type RetryOptions,
} from './retry';
