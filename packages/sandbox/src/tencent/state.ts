import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AddressPool } from '../ipv4';
import { TencentApiError, orNotFound } from './errors';

/*
 * The stand-in's world, written in the API's own shapes (PascalCase fields) so the action
 * handlers return it almost as stored. Fields only the stand-in needs are noted below and
 * stripped before a response leaves.
 */

export type ApiObject = Record<string, any>;

export interface SeedTarget {
  Type: 'CVM' | 'ENI';
  Port: number;
  PrivateIpAddresses: string[];
  InstanceId?: string;
  EniId?: string;
  Weight?: number;
}

export interface SeedListener extends ApiObject {
  ListenerId: string;
  Protocol: string;
  Port: number;
  /** Layer-4 listeners (TCP/UDP/TCP_SSL). */
  Targets?: SeedTarget[];
  /** Layer-7 listeners (HTTP/HTTPS): rules with their own targets. */
  Rules?: Array<
    ApiObject & {
      LocationId: string;
      Domain: string;
      Url: string;
      Targets?: SeedTarget[];
    }
  >;
}

/** A listener's backends, its rules' included. */
export function listenerTargets(listener: SeedListener): SeedTarget[] {
  return [
    ...(listener.Targets ?? []),
    ...(listener.Rules ?? []).flatMap(rule => rule.Targets ?? []),
  ];
}

export interface SeedLoadBalancer extends ApiObject {
  LoadBalancerId: string;
  LoadBalancerType: 'OPEN' | 'INTERNAL';
  LoadBalancerVips: string[];
  VpcId?: string;
  SubnetId?: string;
  CreateTime: string;
  Tags: Array<{ TagKey: string; TagValue: string }>;
  /** Served by DescribeListeners/DescribeTargets, not DescribeLoadBalancers. */
  Listeners: SeedListener[];
}

export interface SeedAddress extends ApiObject {
  AddressId: string;
  AddressIp: string;
  AddressStatus: string;
  TagSet: Array<{ Key: string; Value: string }>;
}

export interface SeedCluster extends ApiObject {
  ClusterId: string;
  ClusterName: string;
  /** DescribeIPAMD's answer. */
  IPAMD: ApiObject;
  /** Where this cluster's Kubernetes API stand-in listens, and its bearer token. */
  Sandbox: { ApiServer: string; Token: string };
}

/** DescribeVpcs / DescribeSubnets shapes: where internal CLBs take their VIPs. */
export interface SeedVpc extends ApiObject {
  VpcId: string;
  CidrBlock: string;
}

export interface SeedSubnet extends ApiObject {
  SubnetId: string;
  VpcId: string;
  CidrBlock: string;
}

export type AddressQuotaId = 'TOTAL_EIP_QUOTA' | 'DAILY_EIP_APPLY';

/** What a new account gets in each region. */
const DEFAULT_ADDRESS_QUOTA: Record<AddressQuotaId, number> = {
  TOTAL_EIP_QUOTA: 20,
  DAILY_EIP_APPLY: 40,
};

export interface RegionState {
  LoadBalancers: SeedLoadBalancer[];
  Addresses: SeedAddress[];
  Clusters: SeedCluster[];
  Meshes: ApiObject[];
  Vpcs: SeedVpc[];
  Subnets: SeedSubnet[];
  /** DescribeVpcPeeringConnections' PeerConnection shapes (SourceVpcId, PeerVpcId, State). */
  PeeringConnections: ApiObject[];
  VpcEndPoints: ApiObject[];
  VpcEndPointServices: ApiObject[];
  /** DescribeAddressQuota's limits; the seed may lower or raise the defaults. */
  AddressQuotaLimits: Record<AddressQuotaId, number>;
}

export interface DnsRecord extends ApiObject {
  RecordId: number;
  Name: string;
  Type: string;
  Value: string;
  Line: string;
  TTL: number;
}

/** Figures the price inquiry actions answer with (CNY). */
export interface SeedPrices {
  clbInstancePerHour: number;
  clbLcuPerHour: number;
  eipIdlePerHour: number;
  eipTrafficPerGb: number;
  eipBandwidthPerMbpsHour: number;
}

/** What Cloud Monitor reports a CLB or EIP sends to the internet, by resource id. */
export type SeedTraffic = Record<string, { outGbPerDay: number }>;

export interface TencentSeed {
  regions: Record<string, Partial<RegionState>>;
  domains: Record<string, DnsRecord[]>;
  prices: SeedPrices;
  traffic?: SeedTraffic;
  /** DescribeCcnAttachedInstances' shapes (CcnId, InstanceType, InstanceId, State). */
  ccnAttachments?: ApiObject[];
}

/** Regions the real API knows; those absent from the seed are empty. */
const KNOWN_REGIONS = [
  'ap-guangzhou',
  'ap-shanghai',
  'ap-nanjing',
  'ap-beijing',
  'ap-chengdu',
  'ap-chongqing',
  'ap-hongkong',
  'ap-singapore',
  'ap-tokyo',
  'ap-seoul',
  'ap-bangkok',
  'ap-jakarta',
  'eu-frankfurt',
  'na-siliconvalley',
  'na-ashburn',
  'sa-saopaulo',
];

function emptyRegion(): RegionState {
  return {
    LoadBalancers: [],
    Addresses: [],
    Clusters: [],
    Meshes: [],
    Vpcs: [],
    Subnets: [],
    PeeringConnections: [],
    VpcEndPoints: [],
    VpcEndPointServices: [],
    AddressQuotaLimits: { ...DEFAULT_ADDRESS_QUOTA },
  };
}

export function newId(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(8);
  return `${prefix}-${Array.from(
    bytes,
    b => alphabet[b % alphabet.length],
  ).join('')}`;
}

function now(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

export type TaskResult = {
  status: 'SUCCESS' | 'FAILED';
  loadBalancerIds?: string[];
  message?: string;
};

/**
 * The mutable in-memory state of one stand-in. The API handlers and the SandboxCloud
 * facade both change it through these methods, so a change made by the simulated TKE
 * controller is what the next Describe call sees.
 */
export class TencentState {
  readonly regions: Record<string, RegionState> = {};
  readonly domains: Record<string, DnsRecord[]>;
  readonly prices: SeedPrices;
  readonly traffic: SeedTraffic;
  /** Instances attached to Cloud Connect Networks, which span regions. */
  readonly ccnAttachments: ApiObject[];
  /** DeleteLoadBalancer tasks (by RequestId) and VPC tasks (by numeric TaskId). */
  readonly tasks = new Map<string, TaskResult>();
  #nextTaskId = 1000;
  readonly #domainIds = new Map<string, number>();
  readonly #issuedIps: Record<string, number> = {};
  readonly #allocatedToday = new Map<
    RegionState,
    { day: string; count: number }
  >();

  static fromFile(seedFile: string): TencentState {
    return new TencentState(
      parse(readFileSync(seedFile, 'utf8')) as TencentSeed,
    );
  }

  constructor(seed: TencentSeed) {
    for (const region of KNOWN_REGIONS) {
      this.regions[region] = emptyRegion();
    }
    for (const [region, content] of Object.entries(seed.regions ?? {})) {
      const empty = emptyRegion();
      this.regions[region] = {
        ...empty,
        ...content,
        AddressQuotaLimits: {
          ...empty.AddressQuotaLimits,
          ...content.AddressQuotaLimits,
        },
      };
    }
    this.domains = seed.domains ?? {};
    this.prices = seed.prices;
    this.traffic = seed.traffic ?? {};
    this.ccnAttachments = seed.ccnAttachments ?? [];
  }

  /** DNSPod's id of a domain: given on first sight and kept, as DNSPod gives one when a domain is added. */
  domainId(name: string): number {
    if (!this.#domainIds.has(name)) {
      this.#domainIds.set(name, 62_000_001 + this.#domainIds.size);
    }
    return this.#domainIds.get(name)!;
  }

  /** The state of a region; unknown regions are refused like the real API does. */
  region(name: string | undefined): RegionState {
    if (!name) {
      throw new TencentApiError(
        'MissingParameter',
        'The request is missing a required parameter `Region`.',
      );
    }
    const region = this.regions[name];
    if (!region) {
      throw new TencentApiError(
        'InvalidParameterValue',
        `The value \`${name}\` of parameter \`Region\` is not valid.`,
      );
    }
    return region;
  }

  recordTask(result: TaskResult, key?: string): string {
    const id = key ?? String(this.#nextTaskId++);
    this.tasks.set(id, result);
    return id;
  }

  findLoadBalancer(region: RegionState, id: string): SeedLoadBalancer {
    return orNotFound(
      region.LoadBalancers.find(l => l.LoadBalancerId === id),
      'InvalidParameter.LBIdNotFound',
      `LoadBalancer ${id} not found.`,
    );
  }

  createLoadBalancer(
    region: RegionState,
    input: Pick<
      SeedLoadBalancer,
      'LoadBalancerType' | 'Tags' | 'Listeners' | 'VpcId' | 'SubnetId'
    > &
      ApiObject,
  ): SeedLoadBalancer {
    const vip =
      input.LoadBalancerType === 'OPEN'
        ? this.#issueIp('198.51.100', 200)
        : this.#internalVip(region, input.VpcId, input.SubnetId);
    const lb: SeedLoadBalancer = {
      Forward: 1,
      Status: 1,
      ChargeType: 'POSTPAID_BY_HOUR',
      VipIsp: input.LoadBalancerType === 'OPEN' ? 'BGP' : undefined,
      ...input,
      LoadBalancerId: newId('lb'),
      LoadBalancerVips: [vip],
      CreateTime: now(),
    };
    region.LoadBalancers.push(lb);
    return lb;
  }

  /**
   * A free address of the subnet, or of the VPC when the seed does not know the subnet. Taken
   * from the top of the block: the stand-in knows no CVMs, and the estates number their nodes
   * and pods from the bottom.
   */
  #internalVip(
    region: RegionState,
    vpcId: string | undefined,
    subnetId: string | undefined,
  ): string {
    const subnet = region.Subnets.find(s => s.SubnetId === subnetId);
    if (subnet && vpcId && subnet.VpcId !== vpcId) {
      throw new TencentApiError(
        'InvalidParameterValue',
        `Subnet ${subnetId} belongs to ${subnet.VpcId}, not to ${vpcId}.`,
      );
    }
    const cidr =
      subnet?.CidrBlock ?? region.Vpcs.find(v => v.VpcId === vpcId)?.CidrBlock;
    if (!cidr) {
      throw new TencentApiError(
        'InvalidParameterValue',
        `An internal load balancer needs a known subnet or VPC (got subnet ${
          subnetId ?? 'none'
        }, VPC ${vpcId ?? 'none'}).`,
      );
    }
    const vip = new AddressPool(cidr, this.#privateIpsInUse(region)).highest();
    if (!vip) {
      throw new TencentApiError(
        'ResourceInsufficient',
        `No free address left in ${cidr}.`,
      );
    }
    return vip;
  }

  #privateIpsInUse(region: RegionState): string[] {
    return [
      ...region.LoadBalancers.flatMap(lb => [
        ...lb.LoadBalancerVips,
        ...lb.Listeners.flatMap(listenerTargets).flatMap(
          t => t.PrivateIpAddresses,
        ),
      ]),
      ...region.Addresses.flatMap(a =>
        a.PrivateAddressIp ? [a.PrivateAddressIp] : [],
      ),
      ...region.VpcEndPoints.map(e => e.EndPointVip),
    ];
  }

  /** The ENI the cloud's records put a private IP of the VPC on (CLB targets name their ENIs). */
  eniOf(region: RegionState, vpcId: string, privateIp: string) {
    return region.LoadBalancers.filter(lb => lb.VpcId === vpcId)
      .flatMap(lb => lb.Listeners.flatMap(listenerTargets))
      .find(
        t =>
          t.Type === 'ENI' &&
          t.EniId &&
          t.PrivateIpAddresses.includes(privateIp),
      )?.EniId;
  }

  deleteLoadBalancer(region: RegionState, id: string): void {
    this.findLoadBalancer(region, id);
    region.LoadBalancers = region.LoadBalancers.filter(
      l => l.LoadBalancerId !== id,
    );
  }

  findAddress(region: RegionState, id: string): SeedAddress {
    return orNotFound(
      region.Addresses.find(a => a.AddressId === id),
      'InvalidAddressId.NotFound',
      `Address ${id} not found.`,
    );
  }

  allocateAddress(
    region: RegionState,
    input: {
      name?: string;
      chargeType?: string;
      bandwidthMbps?: number;
      tags?: Array<{ Key: string; Value: string }>;
    },
  ): SeedAddress {
    this.checkAddressQuota(region, 1);
    this.#allocationsToday(region).count++;
    const address: SeedAddress = {
      AddressId: newId('eip'),
      AddressName: input.name,
      AddressIp: this.#issueIp('192.0.2', 200),
      AddressStatus: 'UNBIND',
      AddressType: 'EIP',
      InternetChargeType: input.chargeType ?? 'TRAFFIC_POSTPAID_BY_HOUR',
      Bandwidth: input.bandwidthMbps ?? 1,
      InternetServiceProvider: 'BGP',
      TagSet: input.tags ?? [],
      CreatedTime: now(),
    };
    region.Addresses.push(address);
    return address;
  }

  /** DescribeAddressQuota's QuotaSet: EIPs held in the region, and allocated today. */
  addressQuota(region: RegionState): Array<{
    QuotaId: AddressQuotaId;
    QuotaCurrent: number;
    QuotaLimit: number;
  }> {
    return [
      {
        QuotaId: 'TOTAL_EIP_QUOTA',
        QuotaCurrent: region.Addresses.length,
        QuotaLimit: region.AddressQuotaLimits.TOTAL_EIP_QUOTA,
      },
      {
        QuotaId: 'DAILY_EIP_APPLY',
        QuotaCurrent: this.#allocationsToday(region).count,
        QuotaLimit: region.AddressQuotaLimits.DAILY_EIP_APPLY,
      },
    ];
  }

  /** Refuses `count` more EIPs when either quota would be exceeded, as AllocateAddresses does. */
  checkAddressQuota(region: RegionState, count: number): void {
    const [total, daily] = this.addressQuota(region);
    if (total.QuotaCurrent + count > total.QuotaLimit) {
      throw new TencentApiError(
        'AddressQuotaLimitExceeded',
        `The account holds ${total.QuotaCurrent} of its ${total.QuotaLimit} EIPs in this region; ${count} more exceed the quota.`,
      );
    }
    if (daily.QuotaCurrent + count > daily.QuotaLimit) {
      throw new TencentApiError(
        'AddressQuotaLimitExceeded.DailyAllocate',
        `${daily.QuotaCurrent} of the ${daily.QuotaLimit} EIP allocations allowed today in this region are used; ${count} more exceed the quota.`,
      );
    }
  }

  /** Daily quotas restart at midnight Beijing time. */
  #allocationsToday(region: RegionState): { day: string; count: number } {
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    let today = this.#allocatedToday.get(region);
    if (today?.day !== day) {
      today = { day, count: 0 };
      this.#allocatedToday.set(region, today);
    }
    return today;
  }

  associateAddress(
    region: RegionState,
    id: string,
    target: {
      instanceId?: string;
      networkInterfaceId?: string;
      privateIp?: string;
    },
  ): SeedAddress {
    const address = this.findAddress(region, id);
    if (address.AddressStatus !== 'UNBIND') {
      throw new TencentApiError(
        'InvalidAddressIdStatus.NotPermit',
        `Address ${id} is ${address.AddressStatus}.`,
      );
    }
    if (
      !target.instanceId &&
      !(target.networkInterfaceId && target.privateIp)
    ) {
      throw new TencentApiError(
        'InvalidParameterCombination',
        'Specify InstanceId, or NetworkInterfaceId with PrivateIpAddress.',
      );
    }
    Object.assign(address, {
      AddressStatus: 'BIND',
      InstanceId: target.instanceId,
      InstanceType: target.instanceId ? 'CVM' : 'ENI',
      NetworkInterfaceId: target.networkInterfaceId,
      PrivateAddressIp: target.privateIp,
    });
    return address;
  }

  disassociateAddress(region: RegionState, id: string): void {
    const address = this.findAddress(region, id);
    if (address.AddressStatus === 'UNBIND') {
      throw new TencentApiError(
        'InvalidAddressIdStatus.NotPermit',
        `Address ${id} is not bound.`,
      );
    }
    for (const key of [
      'InstanceId',
      'InstanceType',
      'NetworkInterfaceId',
      'PrivateAddressIp',
    ]) {
      delete address[key];
    }
    address.AddressStatus = 'UNBIND';
  }

  /** Addresses for new resources come from ranges the seed does not use. */
  /**
   * Public addresses come from the documentation ranges (RFC 5737), which nobody routes: a
   * probe of a sandbox address never reaches a real host. The seeds use the low part of each
   * /24, issued addresses `first` to 254, then again from `first`.
   */
  #issueIp(prefix: string, first: number): string {
    const n = (this.#issuedIps[prefix] = (this.#issuedIps[prefix] ?? 0) + 1);
    return `${prefix}.${first + ((n - 1) % (255 - first))}`;
  }

  releaseAddress(region: RegionState, id: string): void {
    const address = this.findAddress(region, id);
    if (address.AddressStatus !== 'UNBIND') {
      throw new TencentApiError(
        'InvalidAddressIdStatus.NotPermit',
        `Address ${id} is still bound; unbind it first.`,
      );
    }
    region.Addresses = region.Addresses.filter(a => a !== address);
  }
}
