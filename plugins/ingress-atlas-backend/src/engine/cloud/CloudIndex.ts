import {
  CloudAddress,
  CloudInventory,
  CloudLoadBalancer,
  CloudVpcEndpoint,
  ManagedMesh,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  CloudProvider,
  TrafficMeasurement,
} from '@ingress-atlas/plugin-ingress-atlas-common';

export interface Located<T> {
  item: T;
  provider: CloudProvider;
  region: string;
  account: string;
}

/** Every cloud inventory, indexed by the keys clusters refer to cloud resources with. */
export class CloudIndex {
  readonly loadBalancers: Located<CloudLoadBalancer>[];
  readonly addresses: Located<CloudAddress>[];
  readonly vpcEndpoints: Located<CloudVpcEndpoint>[];
  readonly meshes: Located<ManagedMesh>[];
  /** Outbound traffic the providers' monitoring measured, by resource id. */
  readonly traffic: ReadonlyMap<string, TrafficMeasurement>;
  readonly #dnsZones = new Map<string, Set<string>>();

  constructor(clouds: CloudInventory[]) {
    const flatten = <T>(pick: (c: CloudInventory) => T[]) =>
      clouds.flatMap(c =>
        pick(c).map(item => ({
          item,
          provider: c.provider,
          region: c.region,
          account: c.account,
        })),
      );
    this.loadBalancers = flatten(c => c.loadBalancers);
    this.addresses = flatten(c => c.addresses);
    this.vpcEndpoints = flatten(c => c.vpcEndpoints);
    this.meshes = flatten(c => c.meshes);
    this.traffic = new Map(
      clouds.flatMap(c => Object.entries(c.traffic ?? {})),
    );
    // Every region of an account carries the same zones; one that could not read them has none.
    for (const c of clouds) {
      const key = `${c.provider}/${c.account}`;
      const zones = this.#dnsZones.get(key) ?? new Set<string>();
      (c.dnsZones ?? []).forEach(zone => zones.add(zone));
      this.#dnsZones.set(key, zones);
    }
  }

  /** The DNS zones an account hosts with the provider (DNSPod on Tencent Cloud), when read. */
  dnsZones(provider: CloudProvider, account: string): string[] {
    return [...(this.#dnsZones.get(`${provider}/${account}`) ?? [])];
  }

  loadBalancer(id: string | undefined) {
    return id ? this.loadBalancers.find(l => l.item.id === id) : undefined;
  }

  loadBalancerByVip(vip: string) {
    return this.loadBalancers.find(l => l.item.vips.includes(vip));
  }

  loadBalancerByTag(key: string, value: string) {
    return this.loadBalancers.find(l =>
      l.item.tags.some(t => t.key === key && t.value === value),
    );
  }

  /**
   * The EIP at a public IP, or bound to a private IP or an instance. Private IPs repeat from
   * one VPC to the next, so those match only in the cluster's region, when it is known.
   */
  address(
    where: { ip?: string; privateIp?: string; instanceId?: string },
    region?: string,
  ) {
    return this.addresses.find(
      a =>
        (where.ip !== undefined && a.item.ip === where.ip) ||
        ((!region || !a.region || a.region === region) &&
          ((where.privateIp !== undefined &&
            a.item.privateIp === where.privateIp) ||
            (where.instanceId !== undefined &&
              a.item.instanceId === where.instanceId))),
    );
  }

  vpcEndpointsFor(loadBalancerId: string) {
    return this.vpcEndpoints.filter(
      e => e.item.serviceLoadBalancerId === loadBalancerId,
    );
  }

  /** The managed meshes (TCM, ASM) a cloud cluster belongs to. */
  meshesOf(cloudClusterId: string | undefined) {
    if (!cloudClusterId) return [];
    return this.meshes.flatMap(m => {
      const member = m.item.clusters.find(
        c => c.cloudClusterId === cloudClusterId,
      );
      return member ? [{ mesh: m, member }] : [];
    });
  }
}
