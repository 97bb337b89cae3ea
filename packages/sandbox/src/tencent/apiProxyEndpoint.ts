import type { TencentCloudServer } from './index';

/**
 * Puts a VPC endpoint in front of an internal CLB in ap-shanghai, the way a Kubernetes API
 * server is reached from another VPC (endpoint -> endpoint service -> CLB -> API proxy). The
 * seed has none, because the saas VPCs are peered; tests that need one add it.
 */
export function addApiProxyEndpoint(server: TencentCloudServer) {
  const proxy = server.cloud.createServiceLoadBalancer({
    region: 'ap-shanghai',
    clusterId: 'cls-saas0002',
    serviceUid: 'uid-api-proxy',
    serviceName: 'kube-api-proxy/kube-api-proxy',
    internal: true,
    subnetId: 'subnet-sh000021',
    ports: [{ port: 443, protocol: 'TCP', nodePort: 30443 }],
    targets: [{ ip: '10.30.0.11' }],
  });
  const region = server.state.regions['ap-shanghai'];
  region.VpcEndPointServices.push({
    EndPointServiceId: 'vpcsvc-api00001',
    VpcId: 'vpc-sh000002',
    ServiceVip: proxy.vip,
    ServiceInstanceId: proxy.loadBalancerId,
    ServiceType: 'CLB',
  });
  region.VpcEndPoints.push({
    EndPointId: 'vpce-api00001',
    VpcId: 'vpc-sh000001',
    EndPointServiceId: 'vpcsvc-api00001',
    ServiceVip: proxy.vip,
    EndPointVip: '10.20.0.60',
    State: 'ACTIVE',
  });
  return {
    endpointId: 'vpce-api00001',
    endpointServiceId: 'vpcsvc-api00001',
    endpointVip: '10.20.0.60',
    loadBalancerId: proxy.loadBalancerId,
  };
}
