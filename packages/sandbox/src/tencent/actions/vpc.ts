import { TencentApiError } from '../errors';
import type { ApiObject, SeedAddress } from '../state';
import {
  ActionHandler,
  applyFilters,
  describeList,
  page,
  tagFilters,
} from './types';

const DescribeAddresses: ActionHandler = ({ state, region, params }) => {
  const { Addresses } = state.region(region);
  const filters: Array<{ Name: string; Values: string[] }> =
    params.Filters ?? [];
  const matching = applyFilters(
    Addresses.filter(
      a => !params.AddressIds || params.AddressIds.includes(a.AddressId),
    ),
    filters,
    {
      'address-id': a => a.AddressId,
      'address-name': a => a.AddressName,
      'address-ip': a => a.AddressIp,
      'address-status': a => a.AddressStatus,
      'address-type': a => a.AddressType,
      'instance-id': a => a.InstanceId,
      'private-ip-address': a => a.PrivateAddressIp,
      'network-interface-id': a => a.NetworkInterfaceId,
      'is-arrears': a => String(Boolean(a.IsArrears)),
      'tag-key': a => a.TagSet.map(t => t.Key),
      ...tagFilters(
        filters,
        (a: SeedAddress, key) => a.TagSet.find(t => t.Key === key)?.Value,
      ),
    },
  );
  return {
    TotalCount: matching.length,
    AddressSet: page(matching, params, { defaultLimit: 20, maxLimit: 100 }),
  };
};

const AllocateAddresses: ActionHandler = ({ state, region, params }) => {
  const regionState = state.region(region);
  const count = params.AddressCount ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new TencentApiError(
      'InvalidParameterValue.Range',
      'AddressCount must be between 1 and 100.',
    );
  }
  state.checkAddressQuota(regionState, count);
  const addresses = Array.from({ length: count }, () =>
    state.allocateAddress(regionState, {
      name: params.AddressName,
      chargeType: params.InternetChargeType,
      bandwidthMbps: params.InternetMaxBandwidthOut,
      tags: params.Tags,
    }),
  );
  return {
    AddressSet: addresses.map(a => a.AddressId),
    TaskId: state.recordTask({ status: 'SUCCESS' }),
  };
};

const DescribeAddressQuota: ActionHandler = ({ state, region }) => ({
  QuotaSet: state.addressQuota(state.region(region)),
});

const AssociateAddress: ActionHandler = ({ state, region, params }) => {
  state.associateAddress(state.region(region), params.AddressId, {
    instanceId: params.InstanceId,
    networkInterfaceId: params.NetworkInterfaceId,
    privateIp: params.PrivateIpAddress,
  });
  return { TaskId: state.recordTask({ status: 'SUCCESS' }) };
};

const DisassociateAddress: ActionHandler = ({ state, region, params }) => {
  state.disassociateAddress(state.region(region), params.AddressId);
  return { TaskId: state.recordTask({ status: 'SUCCESS' }) };
};

const ReleaseAddresses: ActionHandler = ({ state, region, params }) => {
  const regionState = state.region(region);
  const ids: string[] = params.AddressIds ?? [];
  // Validate all before releasing any, so a refused call changes nothing.
  ids.forEach(id => {
    if (state.findAddress(regionState, id).AddressStatus !== 'UNBIND') {
      throw new TencentApiError(
        'InvalidAddressIdStatus.NotPermit',
        `Address ${id} is still bound; unbind it first.`,
      );
    }
  });
  ids.forEach(id => state.releaseAddress(regionState, id));
  return { TaskId: state.recordTask({ status: 'SUCCESS' }) };
};

const DescribeTaskResult: ActionHandler = ({ state, params }) => {
  const task = state.tasks.get(String(params.TaskId ?? ''));
  if (!task) {
    throw new TencentApiError(
      'ResourceNotFound',
      `Task ${params.TaskId} not found.`,
    );
  }
  return { TaskId: Number(params.TaskId), Result: task.status };
};

const InquiryPriceAllocateAddresses: ActionHandler = ({
  state,
  region,
  params,
}) => {
  state.region(region);
  const { eipIdlePerHour, eipTrafficPerGb, eipBandwidthPerMbpsHour } =
    state.prices;
  const bandwidth = params.InternetMaxBandwidthOut ?? 1;
  let addressPrice: ApiObject;
  switch (params.InternetChargeType) {
    case 'TRAFFIC_POSTPAID_BY_HOUR':
      addressPrice = { UnitPrice: eipTrafficPerGb, ChargeUnit: 'GB' };
      break;
    case 'BANDWIDTH_POSTPAID_BY_HOUR':
      addressPrice = {
        UnitPrice:
          Math.round(eipBandwidthPerMbpsHour * bandwidth * 1000) / 1000,
        ChargeUnit: 'HOUR',
      };
      break;
    case 'BANDWIDTH_PACKAGE':
      addressPrice = { UnitPrice: 0, ChargeUnit: 'HOUR' };
      break;
    default:
      throw new TencentApiError(
        'InvalidParameterValue',
        `InternetChargeType \`${params.InternetChargeType}\` is not valid for a price inquiry.`,
      );
  }
  return {
    Price: {
      AddressPrice: addressPrice,
      // Charged by the hour while the address is not bound.
      IPPrice: { UnitPrice: eipIdlePerHour, ChargeUnit: 'HOUR' },
    },
  };
};

const DescribeVpcEndPoint: ActionHandler = ({ state, region, params }) =>
  describeList(state.region(region).VpcEndPoints, params, {
    set: 'EndPointSet',
    idsParam: 'EndPointId',
    ids: e => e.EndPointId,
    filters: {
      'end-point-id': e => e.EndPointId,
      'end-point-name': e => e.EndPointName,
      'end-point-service-id': e => e.EndPointServiceId,
      'vpc-id': e => e.VpcId,
      'service-vip': e => e.ServiceVip,
    },
  });

const DescribeVpcEndPointService: ActionHandler = ({
  state,
  region,
  params,
}) => {
  const { VpcEndPointServices, VpcEndPoints } = state.region(region);
  const matching = applyFilters(
    VpcEndPointServices.filter(
      s =>
        !params.EndPointServiceIds ||
        params.EndPointServiceIds.includes(s.EndPointServiceId),
    ),
    params.Filters,
    {
      'service-id': s => s.EndPointServiceId,
      'service-name': s => s.ServiceName,
      'service-instance-id': s => s.ServiceInstanceId,
      'vpc-id': s => s.VpcId,
    },
  );
  return {
    TotalCount: matching.length,
    EndPointServiceSet: page(matching, params, {
      defaultLimit: 20,
      maxLimit: 100,
    }).map(service => {
      const endpoints = VpcEndPoints.filter(
        e => e.EndPointServiceId === service.EndPointServiceId,
      );
      return {
        ...service,
        EndPointCount: endpoints.length,
        EndPointSet: endpoints,
      };
    }),
  };
};

/** Peering connections of the region, either side's VPC matching the `vpc-id` filter. */
const DescribeVpcPeeringConnections: ActionHandler = ({
  state,
  region,
  params,
}) =>
  describeList(state.region(region).PeeringConnections, params, {
    set: 'PeerConnectionSet',
    idsParam: 'PeeringConnectionIds',
    ids: p => p.PeeringConnectionId,
    filters: {
      'vpc-id': p => [p.SourceVpcId, p.PeerVpcId],
      state: p => p.State,
      'peering-connection-name': p => p.PeeringConnectionName,
    },
  });

/** Instances attached to the account's CCNs; CCN is global, so X-TC-Region does not narrow it. */
const DescribeCcnAttachedInstances: ActionHandler = ({ state, params }) =>
  describeList(state.ccnAttachments, params, {
    set: 'InstanceSet',
    filters: {
      'ccn-id': a => a.CcnId,
      'instance-type': a => a.InstanceType,
      'instance-region': a => a.InstanceRegion,
      'instance-id': a => a.InstanceId,
    },
  });

export const vpcActions: Record<string, ActionHandler> = {
  DescribeVpcPeeringConnections,
  DescribeCcnAttachedInstances,
  DescribeAddresses,
  AllocateAddresses,
  DescribeAddressQuota,
  AssociateAddress,
  DisassociateAddress,
  ReleaseAddresses,
  DescribeTaskResult,
  InquiryPriceAllocateAddresses,
  DescribeVpcEndPoint,
  DescribeVpcEndPointService,
};
