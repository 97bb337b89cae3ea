/**
 * Huawei CCE's (Cloud Container Engine) Service and Ingress annotation keys for ELB: the ones
 * the atlas reads (which ELB, with or without an EIP) and the scaffolder actions write.
 * CCE documents them under "Configuring LoadBalancer Services Using Annotations"
 * (support.huaweicloud.com, usermanual-cce cce_10_0385); `elb.class` and `elb.autocreate`
 * cannot be changed once the Service exists.
 *
 * @public
 */
export const CCE = {
  /** `union` (shared ELB) or `performance` (dedicated ELB). */
  elbClass: 'kubernetes.io/elb.class',
  /** JSON: the ELB CCE creates with the Service; `type` `inner` has no EIP, `public` gets one. */
  elbAutocreate: 'kubernetes.io/elb.autocreate',
  /** An existing ELB, by id. */
  elbId: 'kubernetes.io/elb.id',
  /** An existing EIP bound to the ELB, by id. */
  elbEipId: 'kubernetes.io/elb.eip-id',
  /** An EIP created with the ELB (newer CCE versions). */
  elbEipAutoCreateOption: 'kubernetes.io/elb.eip-auto-create-option',
} as const;
