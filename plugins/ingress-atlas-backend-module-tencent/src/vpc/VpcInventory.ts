import type {
  CloudAddress,
  CloudVpcEndpoint,
  TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type {
  Address,
  EndPoint,
  EndPointService,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models';
import { readAllPages } from '../client/paging';

/** Reads the EIPs and VPC endpoints of a region. */
export class VpcInventory {
  readonly #clients: TencentClients;

  static create(options: { clients: TencentClients }) {
    return new VpcInventory(options.clients);
  }

  private constructor(clients: TencentClients) {
    this.#clients = clients;
  }

  async listAddresses(region: string): Promise<CloudAddress[]> {
    const client = this.#clients.vpc(region);
    const addresses = await readAllPages<Address>(async (offset, limit) => {
      const response = await this.#clients.call(
        { action: 'DescribeAddresses', region },
        () => client.DescribeAddresses({ Offset: offset, Limit: limit }),
      );
      return { items: response.AddressSet, total: response.TotalCount };
    });
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
    const client = this.#clients.vpc(region);
    const [endpoints, services] = await Promise.all([
      readAllPages<EndPoint>(async (offset, limit) => {
        const response = await this.#clients.call(
          { action: 'DescribeVpcEndPoint', region },
          () => client.DescribeVpcEndPoint({ Offset: offset, Limit: limit }),
        );
        return { items: response.EndPointSet, total: response.TotalCount };
      }),
      readAllPages<EndPointService>(async (offset, limit) => {
        const response = await this.#clients.call(
          { action: 'DescribeVpcEndPointService', region },
          () =>
            client.DescribeVpcEndPointService({ Offset: offset, Limit: limit }),
        );
        return {
          items: response.EndPointServiceSet,
          total: response.TotalCount,
        };
      }),
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
