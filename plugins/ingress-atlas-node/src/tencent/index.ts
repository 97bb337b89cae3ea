export {
  TencentClients,
  type ClbClient,
  type DnspodClient,
  type MonitorClient,
  type TcmClient,
  type TkeClient,
  type VpcClient,
} from './TencentClients';
export {
  describeError as describeTencentError,
  type RetryOptions,
} from './retry';
