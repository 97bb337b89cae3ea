import type { SandboxCloud } from './SandboxCloud';
import { newId, RegionState, SeedTarget, TencentState } from './state';

/** What the simulated TKE controller does to the cloud, applied to the stand-in's state. */
export function createSandboxCloud(state: TencentState): SandboxCloud {
  return {
    createServiceLoadBalancer(input) {
      const region = state.region(input.region);
      const existing = region.LoadBalancers.find(lb =>
        lb.Tags.some(
          t =>
            t.TagKey === 'tke-lb-serviceuuid' &&
            t.TagValue === input.serviceUid,
        ),
      );
      if (existing) {
        return {
          loadBalancerId: existing.LoadBalancerId,
          vip: existing.LoadBalancerVips[0],
        };
      }
      const subnet = region.Subnets.find(s => s.SubnetId === input.subnetId);
      const lb = state.createLoadBalancer(region, {
        LoadBalancerName: `${input.clusterId}_${input.serviceName.replace(
          '/',
          '_',
        )}`,
        LoadBalancerType: input.internal ? 'INTERNAL' : 'OPEN',
        VpcId: vpcOf(region, input.clusterId) ?? subnet?.VpcId,
        SubnetId: input.internal ? input.subnetId : undefined,
        NetworkAttributes: input.internal
          ? undefined
          : {
              InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
              InternetMaxBandwidthOut: 10,
            },
        Tags: [
          { TagKey: 'tke-createdBy-flag', TagValue: 'yes' },
          { TagKey: 'tke-clusterId', TagValue: input.clusterId },
          { TagKey: 'tke-lb-serviceuuid', TagValue: input.serviceUid },
        ],
        Listeners: input.ports.map(port => ({
          ListenerId: newId('lbl'),
          ListenerName: `TCP_${port.port}`,
          Protocol: port.protocol.toUpperCase(),
          Port: port.port,
          Targets: input.targets.map(
            (target): SeedTarget =>
              target.eniId
                ? {
                    Type: 'ENI',
                    Port: port.targetPort ?? port.port,
                    PrivateIpAddresses: [target.ip],
                    EniId: target.eniId,
                    Weight: 10,
                  }
                : {
                    Type: 'CVM',
                    Port: port.nodePort ?? port.port,
                    PrivateIpAddresses: [target.ip],
                    Weight: 10,
                  },
          ),
        })),
      });
      return { loadBalancerId: lb.LoadBalancerId, vip: lb.LoadBalancerVips[0] };
    },

    releaseServiceLoadBalancer({ region, loadBalancerId }) {
      const regionState = state.region(region);
      const lb = regionState.LoadBalancers.find(
        l => l.LoadBalancerId === loadBalancerId,
      );
      if (
        !lb ||
        !lb.Tags.some(
          t => t.TagKey === 'tke-createdBy-flag' && t.TagValue === 'yes',
        )
      ) {
        return { deleted: false };
      }
      state.deleteLoadBalancer(regionState, loadBalancerId);
      return { deleted: true };
    },

    recordServiceUid({ region, clusterId, loadBalancerId, serviceUid }) {
      const lb = state
        .region(region)
        .LoadBalancers.find(l => l.LoadBalancerId === loadBalancerId);
      const tag = (key: string) => lb?.Tags.find(t => t.TagKey === key);
      if (
        tag('tke-createdBy-flag')?.TagValue !== 'yes' ||
        tag('tke-clusterId')?.TagValue !== clusterId
      ) {
        return false;
      }
      const serviceTag = tag('tke-lb-serviceuuid');
      if (serviceTag) serviceTag.TagValue = serviceUid;
      else
        lb!.Tags.push({ TagKey: 'tke-lb-serviceuuid', TagValue: serviceUid });
      return true;
    },

    describeLoadBalancerVip({ region, loadBalancerId }) {
      return state
        .region(region)
        .LoadBalancers.find(l => l.LoadBalancerId === loadBalancerId)
        ?.LoadBalancerVips[0];
    },

    eniOf({ region, clusterId, privateIp }) {
      const regionState = state.region(region);
      const vpcId = vpcOf(regionState, clusterId);
      return vpcId ? state.eniOf(regionState, vpcId, privateIp) : undefined;
    },

    bindPodEip(input) {
      const region = state.region(input.region);
      const bound = region.Addresses.find(
        a =>
          a.AddressStatus === 'BIND' &&
          a.NetworkInterfaceId === input.eniId &&
          a.PrivateAddressIp === input.podIp,
      );
      if (bound) {
        return { addressId: bound.AddressId, ip: bound.AddressIp };
      }
      const address = input.reuseAddressId
        ? state.findAddress(region, input.reuseAddressId)
        : state.allocateAddress(region, {
            chargeType: input.internetChargeType,
            bandwidthMbps: input.bandwidthMbps,
            tags: [
              { Key: 'tke-clusterId', Value: input.clusterId },
              { Key: 'tke-created-eip', Value: 'true' },
            ],
          });
      state.associateAddress(region, address.AddressId, {
        networkInterfaceId: input.eniId,
        privateIp: input.podIp,
      });
      return { addressId: address.AddressId, ip: address.AddressIp };
    },

    unbindPodEip({ region, addressId, release }) {
      const regionState = state.region(region);
      const address = state.findAddress(regionState, addressId);
      if (address.AddressStatus !== 'UNBIND') {
        state.disassociateAddress(regionState, addressId);
      }
      // An address the user handed over (eip-id-list) is never released by TKE.
      if (release && address.TagSet.some(t => t.Key === 'tke-created-eip')) {
        state.releaseAddress(regionState, addressId);
      }
    },
  };
}

function vpcOf(region: RegionState, clusterId: string): string | undefined {
  return region.Clusters.find(c => c.ClusterId === clusterId)
    ?.ClusterNetworkSettings?.VpcId;
}
