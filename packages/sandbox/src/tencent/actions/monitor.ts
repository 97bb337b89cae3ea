import { TencentApiError } from '../errors';
import type { RegionState } from '../state';
import { ActionHandler } from './types';

/**
 * The Cloud Monitor metrics the stand-in serves: public CLBs' and EIPs' outbound bandwidth,
 * in Mbps averaged over each period, as the real namespaces name them. Each resolves an
 * instance's dimension value to the resource it names.
 */
const METRICS: Record<
  string,
  {
    dimension: string;
    metrics: string[];
    resourceOf: (region: RegionState, value: string) => string | undefined;
  }
> = {
  'QCE/LB_PUBLIC': {
    dimension: 'vip',
    metrics: ['ClientOuttraffic'],
    resourceOf: (region, vip) =>
      region.LoadBalancers.find(
        lb =>
          lb.LoadBalancerType === 'OPEN' && lb.LoadBalancerVips.includes(vip),
      )?.LoadBalancerId,
  },
  'QCE/LB': {
    dimension: 'eip',
    metrics: ['VipOuttraffic'],
    resourceOf: (region, ip) =>
      region.Addresses.find(a => a.AddressIp === ip)?.AddressId,
  },
};

const PERIODS = [60, 300, 3600, 86400];
const MAX_INSTANCES = 50;
const MAX_POINTS = 7200;

function time(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed)) {
    throw new TencentApiError(
      'InvalidParameterValue',
      `${name} \`${String(
        value,
      )}\` is not a time such as 2018-09-22T19:51:23+08:00.`,
    );
  }
  return Math.floor(parsed / 1000);
}

/**
 * GetMonitorData: a point per period over [StartTime, EndTime]; a seeded resource sends the
 * same bandwidth all day (its GB per day spread evenly), any other has no points.
 */
const GetMonitorData: ActionHandler = ({ state, region, params }) => {
  const regionState = state.region(region);
  const namespace = METRICS[params.Namespace];
  if (!namespace) {
    throw new TencentApiError(
      'FailedOperation.DataTableNotFound',
      `Namespace \`${params.Namespace}\` has no data table.`,
    );
  }
  if (!namespace.metrics.includes(params.MetricName)) {
    throw new TencentApiError(
      'FailedOperation.DataColumnNotFound',
      `Metric \`${params.MetricName}\` does not exist in ${params.Namespace}.`,
    );
  }
  const instances: Array<{
    Dimensions: Array<{ Name: string; Value: string }>;
  }> = params.Instances ?? [];
  if (instances.length === 0 || instances.length > MAX_INSTANCES) {
    throw new TencentApiError(
      'InvalidParameterValue',
      `Instances must hold 1 to ${MAX_INSTANCES} instances, got ${instances.length}.`,
    );
  }
  const period = params.Period ?? 300;
  if (!PERIODS.includes(period)) {
    throw new TencentApiError(
      'InvalidParameterValue',
      `Period ${period} is not supported; use one of ${PERIODS.join(', ')}.`,
    );
  }
  const end = time(params.EndTime, 'EndTime', Math.floor(Date.now() / 1000));
  const start = time(params.StartTime, 'StartTime', end - 3600);
  if (end < start) {
    throw new TencentApiError(
      'InvalidParameterValue',
      'EndTime must not be earlier than StartTime.',
    );
  }
  const timestamps: number[] = [];
  for (let t = Math.ceil(start / period) * period; t < end; t += period) {
    timestamps.push(t);
  }
  if (timestamps.length * instances.length > MAX_POINTS) {
    throw new TencentApiError(
      'LimitExceeded',
      `The request asks for ${
        timestamps.length * instances.length
      } points; at most ${MAX_POINTS} are served.`,
    );
  }

  return {
    Period: period,
    MetricName: params.MetricName,
    StartTime: params.StartTime,
    EndTime: params.EndTime,
    Msg: '',
    DataPoints: instances.map(instance => {
      const value = instance.Dimensions?.find(
        d => d.Name === namespace.dimension,
      )?.Value;
      const resource =
        value !== undefined
          ? namespace.resourceOf(regionState, value)
          : undefined;
      const traffic = resource ? state.traffic[resource] : undefined;
      // GB per day as an even bandwidth: bits per second over the day, in Mbps.
      const mbps = traffic ? (traffic.outGbPerDay * 1e9 * 8) / 86_400 / 1e6 : 0;
      return {
        Dimensions: instance.Dimensions,
        Timestamps: traffic ? timestamps : [],
        Values: traffic ? timestamps.map(() => mbps) : [],
      };
    }),
  };
};

export const monitorActions: Record<string, ActionHandler> = { GetMonitorData };
