import { TencentApiError } from '../errors';
import {
  listenerTargets,
  type SeedListener,
  type SeedLoadBalancer,
  type SeedTarget,
} from '../state';
import {
  ActionHandler,
  applyFilters,
  page,
  tagFilters,
  withoutKeys,
} from './types';

function targetCount(lb: SeedLoadBalancer): number {
  return lb.Listeners.reduce(
    (sum, listener) => sum + listenerTargets(listener).length,
    0,
  );
}

function tagValue(lb: SeedLoadBalancer, key: string): string | undefined {
  return lb.Tags.find(tag => tag.TagKey === key)?.TagValue;
}

function backend(target: SeedTarget) {
  return { Weight: 10, ...target, RegisteredTime: '2024-01-01 00:00:00' };
}

const DescribeLoadBalancers: ActionHandler = ({ state, region, params }) => {
  const { LoadBalancers } = state.region(region);
  if ((params.LoadBalancerIds?.length ?? 0) > 20) {
    throw new TencentApiError(
      'InvalidParameterValue.Length',
      'At most 20 LoadBalancerIds per call.',
    );
  }
  const filters: Array<{ Name: string; Values: string[] }> =
    params.Filters ?? [];
  let matching = applyFilters(LoadBalancers, filters, {
    'tag-key': lb => lb.Tags.map(tag => tag.TagKey),
    'charge-type': lb => lb.ChargeType,
    'internet-charge-type': lb => lb.NetworkAttributes?.InternetChargeType,
    'vip-isp': lb => lb.VipIsp,
    'master-zone-id': lb => lb.MasterZone?.Zone,
    ...tagFilters(filters, tagValue),
  });
  matching = matching.filter(
    lb =>
      (!params.LoadBalancerIds ||
        params.LoadBalancerIds.includes(lb.LoadBalancerId)) &&
      (!params.LoadBalancerType ||
        params.LoadBalancerType === lb.LoadBalancerType) &&
      (!params.VpcId || params.VpcId === lb.VpcId) &&
      (!params.LoadBalancerVips ||
        lb.LoadBalancerVips.some(vip =>
          params.LoadBalancerVips.includes(vip),
        )) &&
      (!params.LoadBalancerName ||
        String(lb.LoadBalancerName ?? '').includes(params.LoadBalancerName)),
  );
  // Newest first, as the API orders by default; the id keeps pages stable.
  const ascending = params.OrderType === 0;
  matching = [...matching].sort((a, b) => {
    const byTime =
      a.CreateTime.localeCompare(b.CreateTime) ||
      a.LoadBalancerId.localeCompare(b.LoadBalancerId);
    return ascending ? byTime : -byTime;
  });

  const withTargetCount = (params.AdditionalFields ?? []).includes(
    'TargetCount',
  );
  return {
    TotalCount: matching.length,
    LoadBalancerSet: page(matching, params, {
      defaultLimit: 20,
      maxLimit: 100,
    }).map(lb => ({
      ...withoutKeys(lb, ['Listeners']),
      ...(withTargetCount ? { TargetCount: targetCount(lb) } : {}),
    })),
  };
};

function selectListeners(
  listeners: SeedListener[],
  params: Record<string, any>,
): SeedListener[] {
  return listeners.filter(
    l =>
      (!params.ListenerIds || params.ListenerIds.includes(l.ListenerId)) &&
      (!params.Protocol || params.Protocol === l.Protocol) &&
      (params.Port === undefined || params.Port === l.Port),
  );
}

const DescribeListeners: ActionHandler = ({ state, region, params }) => {
  const lb = state.findLoadBalancer(
    state.region(region),
    params.LoadBalancerId,
  );
  const listeners = selectListeners(lb.Listeners, params).map(listener => ({
    ...withoutKeys(listener, ['Targets', 'Rules']),
    Rules: listener.Rules?.map(rule => withoutKeys(rule, ['Targets'])),
  }));
  return { Listeners: listeners, TotalCount: listeners.length };
};

const DescribeTargets: ActionHandler = ({ state, region, params }) => {
  const lb = state.findLoadBalancer(
    state.region(region),
    params.LoadBalancerId,
  );
  return {
    Listeners: selectListeners(lb.Listeners, params).map(listener => ({
      ListenerId: listener.ListenerId,
      Protocol: listener.Protocol,
      Port: listener.Port,
      EndPort: 0,
      Targets: listener.Rules
        ? undefined
        : (listener.Targets ?? []).map(backend),
      Rules: listener.Rules?.map(rule => ({
        LocationId: rule.LocationId,
        Domain: rule.Domain,
        Url: rule.Url,
        Targets: (rule.Targets ?? []).map(backend),
      })),
    })),
  };
};

/** Deletion refuses large or busy instances unless forced, like the real API. */
const FORCE_DELETE_TARGETS = 20;

const DeleteLoadBalancer: ActionHandler = ({
  state,
  region,
  params,
  requestId,
}) => {
  const regionState = state.region(region);
  const ids: string[] = params.LoadBalancerIds ?? [];
  if (ids.length === 0 || ids.length > 20) {
    throw new TencentApiError(
      'InvalidParameterValue.Length',
      'LoadBalancerIds must hold 1 to 20 ids.',
    );
  }
  const lbs = ids.map(id => state.findLoadBalancer(regionState, id));
  const large = lbs.find(lb => targetCount(lb) >= FORCE_DELETE_TARGETS);
  if (large && !params.ForceDelete) {
    throw new TencentApiError(
      'FailedOperation',
      `LoadBalancer ${large.LoadBalancerId} has ${targetCount(
        large,
      )} backends; set ForceDelete to delete it.`,
    );
  }
  ids.forEach(id => state.deleteLoadBalancer(regionState, id));
  // The RequestId of the call is the TaskId DescribeTaskStatus accepts.
  state.recordTask({ status: 'SUCCESS', loadBalancerIds: ids }, requestId);
  return {};
};

const DescribeTaskStatus: ActionHandler = ({ state, params }) => {
  const task = state.tasks.get(String(params.TaskId ?? ''));
  if (!task || !task.loadBalancerIds) {
    throw new TencentApiError(
      'InvalidParameter',
      `Task ${params.TaskId} not found.`,
    );
  }
  return {
    Status: task.status === 'SUCCESS' ? 0 : 1,
    LoadBalancerIds: task.loadBalancerIds,
    Message: task.message,
  };
};

const InquiryPriceCreateLoadBalancer: ActionHandler = ({
  state,
  region,
  params,
}) => {
  state.region(region);
  if (!['OPEN', 'INTERNAL'].includes(params.LoadBalancerType)) {
    throw new TencentApiError(
      'InvalidParameterValue',
      'LoadBalancerType must be OPEN or INTERNAL.',
    );
  }
  if (!['POSTPAID', 'PREPAID'].includes(params.LoadBalancerChargeType)) {
    throw new TencentApiError(
      'InvalidParameterValue',
      'LoadBalancerChargeType must be POSTPAID or PREPAID.',
    );
  }
  const { clbInstancePerHour, clbLcuPerHour, eipTrafficPerGb } = state.prices;
  const hourly = (unitPrice: number, chargeUnit = 'HOUR') => ({
    UnitPrice: unitPrice,
    UnitPriceDiscount: unitPrice,
    ChargeUnit: chargeUnit,
    Discount: 100,
  });
  if (params.LoadBalancerChargeType === 'PREPAID') {
    const months = params.LoadBalancerChargePrepaid?.Period ?? 1;
    const total = Math.round(clbInstancePerHour * 24 * 30 * months * 100) / 100;
    return {
      Price: {
        InstancePrice: {
          OriginalPrice: total,
          DiscountPrice: total,
          Discount: 100,
        },
      },
    };
  }
  return {
    Price: {
      InstancePrice: hourly(clbInstancePerHour),
      LcuPrice: hourly(clbLcuPerHour),
      BandwidthPrice:
        params.LoadBalancerType === 'OPEN'
          ? hourly(eipTrafficPerGb, 'GB')
          : undefined,
    },
  };
};

export const clbActions: Record<string, ActionHandler> = {
  DescribeLoadBalancers,
  DescribeListeners,
  DescribeTargets,
  DeleteLoadBalancer,
  DescribeTaskStatus,
  InquiryPriceCreateLoadBalancer,
};
