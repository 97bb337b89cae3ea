/**
 * TKE's (Tencent Kubernetes Engine) pod, resource and Service annotation keys: the ones the
 * atlas reads (pod EIPs, the CLB behind a Service) and the scaffolder actions write.
 *
 * @public
 */
export const TKE = {
  networks: 'tke.cloud.tencent.com/networks',
  eipAttributes: 'tke.cloud.tencent.com/eip-attributes',
  eipClaimDeletePolicy: 'tke.cloud.tencent.com/eip-claim-delete-policy',
  vpcIpClaimDeletePolicy: 'tke.cloud.tencent.com/vpc-ip-claim-delete-policy',
  eipIdList: 'tke.cloud.tencent.com/eip-id-list',
  eipPublicIp: 'tke.cloud.tencent.com/eip-public-ip',
  eniIpResource: 'tke.cloud.tencent.com/eni-ip',
  directEniResource: 'tke.cloud.tencent.com/direct-eni',
  eipResource: 'tke.cloud.tencent.com/eip',
  existedLbId: 'service.kubernetes.io/tke-existed-lbid',
  loadBalancerId: 'service.kubernetes.io/loadbalance-id',
  internalSubnetId:
    'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid',
} as const;

/**
 * The tags TKE's service controller puts on a CLB it creates for a LoadBalancer Service: the
 * cluster, the Service's uid, and `tke-createdBy-flag=yes`, without which TKE never releases
 * the CLB (one reused through `tke-existed-lbid`).
 *
 * @public
 */
export const TKE_CLB_TAGS = {
  clusterId: 'tke-clusterId',
  serviceUuid: 'tke-lb-serviceuuid',
  createdBy: 'tke-createdBy-flag',
} as const;

/**
 * TKE's VPC-CNI components in kube-system; `ipamd` hands pods their ENI IPs and EIPs.
 *
 * @public
 */
export const TKE_VPC_CNI = {
  agent: 'tke-eni-agent',
  ipamd: 'tke-eni-ipamd',
  ipScheduler: 'tke-eni-ip-scheduler',
} as const;
