import { HOURS_PER_MONTH } from './pricing';

/*
 * Where measured traffic comes from, and how a measurement becomes GB per month. The Tencent
 * module, the backend's Prometheus reader and the engine all take their names and sums here.
 */

/**
 * How far back traffic is measured. Cloud Monitor keeps 5-minute points for windows under
 * three days, so two days of 5-minute points (576 per resource) fit its limit of 7,200 points
 * a request for 12 resources at a time.
 *
 * @public
 */
export const TRAFFIC_WINDOW_DAYS = 2;

/**
 * Tencent Cloud Monitor (`GetMonitorData`, monitor API 2018-07-24) metrics for outbound
 * public traffic, the direction billed per GB. Both are bandwidths in Mbps, averaged over each
 * period.
 *
 * - Public CLB: namespace `QCE/LB_PUBLIC`, metric `ClientOuttraffic` (CLB to client
 *   bandwidth), dimension `vip` = the CLB's VIP
 *   (https://www.tencentcloud.com/document/product/248/10997).
 * - EIP: namespace `QCE/LB`, metric `VipOuttraffic` (outbound bandwidth of the EIP),
 *   dimension `eip` = the address (`AddressIp`)
 *   (https://www.tencentcloud.com/document/product/248/34646).
 *
 * @public
 */
export const TENCENT_TRAFFIC_METRICS = {
  loadBalancer: {
    namespace: 'QCE/LB_PUBLIC',
    metric: 'ClientOuttraffic',
    dimension: 'vip',
  },
  address: { namespace: 'QCE/LB', metric: 'VipOuttraffic', dimension: 'eip' },
  /** Seconds per point. */
  periodSeconds: 300,
} as const;

/**
 * Istio's standard metrics (https://istio.io/latest/docs/reference/config/metrics/) for what a
 * gateway sends: a gateway proxy reports as `reporter="source"`, its own workload in
 * `source_workload` / `source_workload_namespace`. HTTP responses are counted in the
 * `istio_response_bytes` distribution (its `_sum`), TCP connections in
 * `istio_tcp_sent_bytes_total`. `source_cluster` tells clusters apart in a multi-cluster mesh.
 *
 * @public
 */
export const ISTIO_TRAFFIC_METRICS = {
  http: 'istio_response_bytes_sum',
  tcp: 'istio_tcp_sent_bytes_total',
  labels: {
    reporter: 'reporter',
    workload: 'source_workload',
    namespace: 'source_workload_namespace',
    cluster: 'source_cluster',
  },
} as const;

/** Decimal, as the Mbps of the monitors are: 1 GB = 10^9 bytes. */
const BYTES_PER_GB = 1e9;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * GB per 30-day month from bytes counted over `windowSeconds`, to two decimals.
 *
 * @public
 */
export function gbPerMonthFromBytes(
  bytes: number,
  windowSeconds: number,
): number {
  return (
    Math.round(
      ((bytes / windowSeconds) * SECONDS_PER_MONTH * 100) / BYTES_PER_GB,
    ) / 100
  );
}

/**
 * GB per 30-day month from bandwidth points in Mbps (each the average of its period), or
 * undefined when there is no point: a gap is not taken for silence.
 *
 * @public
 */
export function gbPerMonthFromMbps(points: number[]): number | undefined {
  const values = points.filter(v => Number.isFinite(v) && v >= 0);
  if (values.length === 0) return undefined;
  const meanMbps = values.reduce((sum, v) => sum + v, 0) / values.length;
  return gbPerMonthFromBytes((meanMbps * 1e6) / 8, 1);
}

/**
 * Traffic measured on a cloud resource (a CLB, an EIP) or a gateway, per 30-day month.
 *
 * @public
 */
export interface TrafficMeasurement {
  gbPerMonth: number;
  /** What measured it, e.g. `Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic`. */
  source: string;
  /** The window measured (ISO 8601). */
  from: string;
  to: string;
}
