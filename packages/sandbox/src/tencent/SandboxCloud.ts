/*
 * What the simulated TKE network controller needs from the Tencent Cloud stand-in's state.
 * Implemented by the Tencent stand-in; called by the controller in ../controller.
 */
export interface SandboxCloud {
  /** A LoadBalancer Service appeared: create a CLB the way TKE does (tags tke-createdBy-flag=yes,
   * tke-clusterId, tke-lb-serviceuuid) with one TCP listener per port. An internal CLB takes its
   * VIP from the subnet, or from the cluster's VPC. Targets are the nodes (CVM, on each port's
   * nodePort) or, with direct access, the pods (ENI, on each port's targetPort). */
  createServiceLoadBalancer(input: {
    region: string;
    clusterId: string;
    serviceUid: string;
    serviceName: string;
    internal: boolean;
    subnetId?: string;
    ports: Array<{ port: number; protocol: string; nodePort?: number; targetPort?: number }>;
    targets: Array<{ ip: string; eniId?: string }>;
  }): { loadBalancerId: string; vip: string };
  /** The Service was deleted: remove the CLB only when TKE created it (tke-createdBy-flag=yes). */
  releaseServiceLoadBalancer(input: { region: string; loadBalancerId: string }): { deleted: boolean };
  /** A Service names the CLB TKE created for it (`loadbalance-id`): the CLB's tke-lb-serviceuuid
   * tag takes the Service's uid (which the API server assigns) when the CLB is TKE's for that
   * cluster. Returns whether it did. */
  recordServiceUid(input: { region: string; clusterId: string; loadBalancerId: string; serviceUid: string }): boolean;
  /** An existing CLB reused by `tke-existed-lbid`: its VIP, or undefined if unknown. */
  describeLoadBalancerVip(input: { region: string; loadBalancerId: string }): string | undefined;
  /** The ENI the cloud already records for a private IP of the cluster's VPC (the seed's CLB
   * targets name the ENIs of the pods they reach), or undefined. */
  eniOf(input: { region: string; clusterId: string; privateIp: string }): string | undefined;
  /** A pod asked for an EIP: allocate (or reuse by id) and bind it to the pod's ENI/private IP,
   * tagged tke-clusterId and tke-created-eip. */
  bindPodEip(input: {
    region: string;
    clusterId: string;
    podIp: string;
    eniId: string;
    reuseAddressId?: string;
    bandwidthMbps?: number;
    internetChargeType?: string;
  }): { addressId: string; ip: string };
  /** Pod gone and its claim not kept: unbind (and release if TKE created it). */
  unbindPodEip(input: { region: string; addressId: string; release: boolean }): void;
}
