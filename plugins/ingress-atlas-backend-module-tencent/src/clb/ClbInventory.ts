import {
  CloudLoadBalancer,
  mapWithConcurrency,
  describeTencentError,
  type TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type {
  Backend,
  ListenerBackend,
  LoadBalancer,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_models';
import { TencentReader } from '../client/TencentReader';

/** CLB's API allows 20 calls a second per action; a few in flight stays well below it. */
const CONCURRENCY = 4;

/** CLB times are Beijing time without a zone, e.g. `2022-05-11 09:30:02`. */
export function beijingTimeToIso(time: string | undefined): string | undefined {
  if (!time || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(time)) {
    return undefined;
  }
  return new Date(`${time.replace(' ', 'T')}+08:00`).toISOString();
}

function toTarget(backend: Backend) {
  return {
    type: backend.Type ?? 'CVM',
    ip: backend.PrivateIpAddresses?.[0],
    port: backend.Port ?? 0,
    instanceId: backend.InstanceId || backend.EniId || undefined,
  };
}

/** Layer-4 listeners carry targets directly, layer-7 ones per rule. */
function targetsOf(listener: ListenerBackend) {
  return [
    ...(listener.Targets ?? []),
    ...(listener.Rules ?? []).flatMap(rule => rule.Targets ?? []),
  ].map(toTarget);
}

/** Reads the CLB instances of a region with their listeners and targets. */
export class ClbInventory extends TencentReader {
  static create(options: { clients: TencentClients }) {
    return new ClbInventory(options.clients);
  }

  /**
   * A CLB whose listeners cannot be read is left out (and reported) rather than shown
   * without listeners, which would make it look idle.
   */
  async list(
    region: string,
  ): Promise<{ loadBalancers: CloudLoadBalancer[]; errors: string[] }> {
    const instances = await this.describeAll(
      region,
      'DescribeLoadBalancers',
      page =>
        this.clients
          .clb(region)
          .DescribeLoadBalancers({
            ...page,
            AdditionalFields: ['TargetCount'],
          }),
      response => ({
        items: response.LoadBalancerSet,
        total: response.TotalCount,
      }),
    );

    const errors: string[] = [];
    const loadBalancers = await mapWithConcurrency(
      instances,
      CONCURRENCY,
      async instance => {
        try {
          return await this.#describe(region, instance);
        } catch (error) {
          errors.push(
            `${
              instance.LoadBalancerId
            }: listeners unavailable: ${describeTencentError(error)}`,
          );
          return undefined;
        }
      },
    );
    return {
      loadBalancers: loadBalancers.filter(
        (lb): lb is CloudLoadBalancer => lb !== undefined,
      ),
      errors,
    };
  }

  async #describe(
    region: string,
    instance: LoadBalancer,
  ): Promise<CloudLoadBalancer> {
    const client = this.clients.clb(region);
    const LoadBalancerId = instance.LoadBalancerId!;
    const { Listeners = [] } = await this.clients.call(
      { action: 'DescribeListeners', region },
      () => client.DescribeListeners({ LoadBalancerId }),
    );
    // An instance with no targets needs no DescribeTargets call.
    const backends =
      Listeners.length > 0 && instance.TargetCount !== 0
        ? (
            await this.clients.call({ action: 'DescribeTargets', region }, () =>
              client.DescribeTargets({ LoadBalancerId }),
            )
          ).Listeners ?? []
        : [];

    return {
      id: LoadBalancerId,
      name: instance.LoadBalancerName,
      kind: 'clb',
      network: instance.LoadBalancerType === 'OPEN' ? 'public' : 'internal',
      vips: [
        ...(instance.LoadBalancerVips ?? []),
        ...(instance.AddressIPv6 ? [instance.AddressIPv6] : []),
      ],
      vpcId: instance.VpcId || undefined,
      chargeType: instance.ChargeType,
      tags: (instance.Tags ?? []).map(tag => ({
        key: tag.TagKey,
        value: tag.TagValue,
      })),
      listeners: Listeners.map(listener => {
        const withTargets = backends.find(
          b => b.ListenerId === listener.ListenerId,
        );
        return {
          id: listener.ListenerId!,
          protocol: listener.Protocol!,
          port: listener.Port!,
          targets: withTargets ? targetsOf(withTargets) : [],
        };
      }),
      targetCount: instance.TargetCount,
      createdAt: beijingTimeToIso(instance.CreateTime),
    };
  }
}
