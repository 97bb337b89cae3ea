import {
  gbPerMonthFromMbps,
  TENCENT_TRAFFIC_METRICS,
  TRAFFIC_WINDOW_DAYS,
  type TrafficMeasurement,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type {
  CloudAddress,
  CloudLoadBalancer,
  TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/** Cloud Monitor answers at most 7,200 points a request. */
const MAX_POINTS_PER_REQUEST = 7200;

/** Cloud Monitor's time format: seconds, with an offset (`2018-09-22T19:51:23+00:00`). */
const monitorTime = (date: Date) =>
  date.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** What one metric is asked about: a resource id and the dimension value naming it. */
interface Measured {
  id: string;
  value: string;
}

/**
 * The outbound public traffic of a region's public CLBs and bound EIPs over the last
 * {@link TRAFFIC_WINDOW_DAYS} days, from Cloud Monitor, in GB per month.
 */
export class CloudMonitorTraffic {
  readonly #clients: TencentClients;

  static create(options: { clients: TencentClients }) {
    return new CloudMonitorTraffic(options.clients);
  }

  private constructor(clients: TencentClients) {
    this.#clients = clients;
  }

  /**
   * Resources with points, by id; a resource without any is left out (not measured). Throws
   * when Cloud Monitor refuses (no permission, throttled past the retries): the caller keeps
   * that to the traffic part of the inventory.
   */
  async read(
    region: string,
    resources: {
      loadBalancers: CloudLoadBalancer[];
      addresses: CloudAddress[];
    },
    now = new Date(),
  ): Promise<Record<string, TrafficMeasurement>> {
    const { loadBalancer, address } = TENCENT_TRAFFIC_METRICS;
    const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const from = new Date(to.getTime() - TRAFFIC_WINDOW_DAYS * 86_400_000);
    const publicLoadBalancers = resources.loadBalancers
      .filter(lb => lb.network === 'public' && lb.vips[0])
      .map(lb => ({ id: lb.id, value: lb.vips[0] }));
    // An EIP on a CLB is measured as the CLB; one bound to nothing carries nothing.
    const boundAddresses = resources.addresses
      .filter(a => a.instanceId && a.instanceType !== 'CLB')
      .map(a => ({ id: a.id, value: a.ip }));
    const [lbTraffic, eipTraffic] = await Promise.all([
      this.#measure(region, loadBalancer, publicLoadBalancers, from, to),
      this.#measure(region, address, boundAddresses, from, to),
    ]);
    return { ...lbTraffic, ...eipTraffic };
  }

  async #measure(
    region: string,
    metric: { namespace: string; metric: string; dimension: string },
    resources: Measured[],
    from: Date,
    to: Date,
  ): Promise<Record<string, TrafficMeasurement>> {
    const { periodSeconds } = TENCENT_TRAFFIC_METRICS;
    const pointsEach = (to.getTime() - from.getTime()) / 1000 / periodSeconds;
    const perRequest = Math.max(
      1,
      Math.min(50, Math.floor(MAX_POINTS_PER_REQUEST / pointsEach)),
    );
    const source = `Tencent Cloud Monitor ${metric.namespace} ${metric.metric}`;
    const measured: Record<string, TrafficMeasurement> = {};
    for (let start = 0; start < resources.length; start += perRequest) {
      const batch = resources.slice(start, start + perRequest);
      const response = await this.#clients.call(
        { action: 'GetMonitorData', region },
        () =>
          this.#clients.monitor(region).GetMonitorData({
            Namespace: metric.namespace,
            MetricName: metric.metric,
            Period: periodSeconds,
            StartTime: monitorTime(from),
            EndTime: monitorTime(to),
            Instances: batch.map(r => ({
              Dimensions: [{ Name: metric.dimension, Value: r.value }],
            })),
          }),
      );
      for (const point of response.DataPoints ?? []) {
        const value = point.Dimensions?.find(
          d => d.Name === metric.dimension,
        )?.Value;
        const resource = batch.find(r => r.value === value);
        const gbPerMonth = gbPerMonthFromMbps(point.Values ?? []);
        if (!resource || gbPerMonth === undefined) continue;
        measured[resource.id] = {
          gbPerMonth,
          source,
          from: from.toISOString(),
          to: to.toISOString(),
        };
      }
    }
    return measured;
  }
}
