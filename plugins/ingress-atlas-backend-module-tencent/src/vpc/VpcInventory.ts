import type {
  CloudAddress,
  CloudVpcEndpoint,
  TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { TencentReader } from '../client/TencentReader';

/** Reads the EIPs and VPC endpoints of a region. */
export class VpcInventory extends TencentReader {
  static create(options: { clients: TencentClients }) {
    return new VpcInventory(options.clients);
  }

  async listAddresses(region: string): Promise<CloudAddress[]> {
    const addresses = await this.describeAll(
      region,
      'DescribeAddresses',
      page => this.clients.vpc(region).DescribeAddresses(page),
      response => ({ items: response.AddressSet, total: response.TotalCount }),
    );
    return addresses.map(address => ({
      id: address.AddressId!,
      ip: address.AddressIp!,
      status: address.AddressStatus!,
      instanceId: address.InstanceId || undefined,
      instanceType: address.InstanceType || undefined,
      networkInterfaceId: address.NetworkInterfaceId || undefined,
      privateIp: address.PrivateAddressIp || undefined,
      chargeType: address.InternetChargeType,
      bandwidthMbps: address.Bandwidth,
      tags: (address.TagSet ?? []).map(tag => ({
        key: tag.Key,
        value: tag.Value ?? '',
      })),
    }));
  }

  /** Endpoints of the region, with the CLB behind their service when the service is ours. */
  async listEndpoints(region: string): Promise<CloudVpcEndpoint[]> {
    const client = this.clients.vpc(region);
    const [endpoints, services] = await Promise.all([
      this.describeAll(
        region,
        'DescribeVpcEndPoint',
        page => client.DescribeVpcEndPoint(page),
        response => ({
          items: response.EndPointSet,
          total: response.TotalCount,
        }),
      ),
      this.describeAll(
        region,
        'DescribeVpcEndPointService',
        page => client.DescribeVpcEndPointService(page),
        response => ({
          items: response.EndPointServiceSet,
          total: response.TotalCount,
        }),
      ),
    ]);
    return endpoints.map(endpoint => {
      const service = services.find(
        s => s.EndPointServiceId === endpoint.EndPointServiceId,
      );
      return {
        id: endpoint.EndPointId!,
        vpcId: endpoint.VpcId,
        serviceId: endpoint.EndPointServiceId,
        vip: endpoint.EndPointVip,
        serviceLoadBalancerId:
          service?.ServiceType === 'CLB'
            ? service.ServiceInstanceId
            : undefined,
        state: endpoint.State,
      };
    });
  }
}
