import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type CloudInventory,
  type ClusterConnection,
  type IngressAtlasCloudProvider,
  type RetryOptions,
  describeTencentError,
  TencentClients,
  type TencentAccount,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { ClbInventory } from './clb/ClbInventory';
import { DnspodZones } from './dnspod/DnspodZones';
import { CloudMonitorTraffic } from './monitor/CloudMonitorTraffic';
import { TencentPriceInquiry } from './pricing/TencentPriceInquiry';
import { TcmMeshes } from './tcm/TcmMeshes';
import { TkeCluster, TkeClusters } from './tke/TkeClusters';
import { VpcInventory } from './vpc/VpcInventory';

interface AccountReaders {
  account: TencentAccount;
  clb: ClbInventory;
  vpc: VpcInventory;
  tcm: TcmMeshes;
  tke: TkeClusters;
  dnspod: DnspodZones;
  prices: TencentPriceInquiry;
  traffic: CloudMonitorTraffic;
}

/**
 * The atlas's view of Tencent Cloud: TKE clusters to read, and per account and region the
 * CLBs, EIPs, VPC endpoints and TCM meshes, and the public CLBs' and EIPs' outbound traffic
 * from Cloud Monitor; per account the DNSPod zones. A failure is kept to its account, region
 * and part.
 *
 * @public
 */
export class TencentCloudProvider implements IngressAtlasCloudProvider {
  readonly id = 'tencent';
  readonly #accounts: AccountReaders[];
  readonly #logger: LoggerService;

  static create(options: {
    accounts: TencentAccount[];
    logger: LoggerService;
    retry?: Partial<RetryOptions>;
  }) {
    return new TencentCloudProvider(options);
  }

  private constructor(options: {
    accounts: TencentAccount[];
    logger: LoggerService;
    retry?: Partial<RetryOptions>;
  }) {
    this.#logger = options.logger;
    this.#accounts = options.accounts.map(account => {
      const clients = TencentClients.create({
        account,
        logger: options.logger,
        retry: options.retry,
      });
      return {
        account,
        clb: ClbInventory.create({ clients }),
        vpc: VpcInventory.create({ clients }),
        tcm: TcmMeshes.create({ clients }),
        tke: TkeClusters.create({
          clients,
          logger: options.logger,
          kubeconfigAccess: account.kubeconfigAccess,
        }),
        dnspod: DnspodZones.create({ clients }),
        prices: TencentPriceInquiry.create({ clients, logger: options.logger }),
        traffic: CloudMonitorTraffic.create({ clients }),
      };
    });
  }

  /**
   * Throws when a region cannot be listed, so the refresh keeps that region's clusters
   * rather than taking their absence for deletion.
   */
  async listClusters(): Promise<ClusterConnection[]> {
    const readers = this.#accounts.filter(
      r => r.account.kubeconfigAccess !== 'none',
    );
    const listed = await Promise.all(
      readers.flatMap(({ account, tke }) =>
        account.regions.map(async region => {
          try {
            return { clusters: await tke.list(region) };
          } catch (error) {
            return {
              failure: `${account.name}/${region}: ${describeTencentError(
                error,
              )}`,
            };
          }
        }),
      ),
    );
    const failures = listed.flatMap(l => (l.failure ? [l.failure] : []));
    if (failures.length > 0) {
      throw new Error(`Could not list TKE clusters of ${failures.join('; ')}`);
    }
    return withUniqueNames(listed.flatMap(l => l.clusters ?? []));
  }

  async collectInventory(): Promise<CloudInventory[]> {
    const perAccount = await Promise.all(
      this.#accounts.map(readers => {
        // DNSPod is not regional: read once, the same zones go on every region's inventory.
        const zones = this.#readZones(readers);
        return Promise.all(
          readers.account.regions.map(region =>
            this.#collect(readers, region, zones),
          ),
        );
      }),
    );
    return perAccount.flat();
  }

  /** The account's DNSPod zones, or why they could not be read (logged once per account). */
  async #readZones(
    readers: AccountReaders,
  ): Promise<{ zones: string[] } | { error: string }> {
    try {
      return { zones: await readers.dnspod.list() };
    } catch (error) {
      const message = describeTencentError(error);
      this.#logger.warn('Could not read part of a Tencent Cloud inventory', {
        account: readers.account.name,
        part: 'dnspod',
        error: message,
      });
      return { error: message };
    }
  }

  /** Hourly prices keyed like the price catalogue; items whose inquiry failed are left out. */
  async inquirePrices(): Promise<Record<string, number>> {
    const first = this.#accounts[0];
    if (!first) {
      return {};
    }
    const { clbInstancePerHour, eipIdlePerHour } = await first.prices.inquire(
      first.account.regions[0],
    );
    return {
      ...(clbInstancePerHour !== undefined
        ? { loadBalancer: clbInstancePerHour }
        : {}),
      ...(eipIdlePerHour !== undefined ? { eipUnbound: eipIdlePerHour } : {}),
    };
  }

  async #collect(
    readers: AccountReaders,
    region: string,
    zones: Promise<{ zones: string[] } | { error: string }>,
  ): Promise<CloudInventory> {
    const started = Date.now();
    const account = readers.account.name;
    const inventory: CloudInventory = {
      provider: 'tencent',
      account,
      region,
      collectedAt: new Date(started).toISOString(),
      loadBalancers: [],
      addresses: [],
      vpcEndpoints: [],
      meshes: [],
      errors: [],
    };
    const part = async (name: string, read: () => Promise<void>) => {
      try {
        await read();
      } catch (error) {
        const message = describeTencentError(error);
        inventory.errors.push({ part: name, message });
        this.#logger.warn('Could not read part of a Tencent Cloud inventory', {
          account,
          region,
          part: name,
          error: message,
        });
      }
    };

    await Promise.all([
      part('clb', async () => {
        const { loadBalancers, errors } = await readers.clb.list(region);
        inventory.loadBalancers = loadBalancers;
        inventory.errors.push(
          ...errors.map(message => ({ part: 'clb', message })),
        );
      }),
      part('eip', async () => {
        inventory.addresses = await readers.vpc.listAddresses(region);
      }),
      part('vpc-endpoints', async () => {
        inventory.vpcEndpoints = await readers.vpc.listEndpoints(region);
      }),
      part('tcm', async () => {
        inventory.meshes = await readers.tcm.list(region);
      }),
      part('tke', async () => {
        const clusters = await readers.tke.list(region, { kubeconfigs: false });
        inventory.clusters = clusters.map(c => c.descriptor);
      }),
      zones.then(read => {
        if ('zones' in read) {
          inventory.dnsZones = read.zones;
        } else {
          inventory.errors.push({ part: 'dnspod', message: read.error });
        }
      }),
    ]);
    // Measured once the CLBs and EIPs are known; a refusal leaves traffic unknown, no more.
    await part('traffic', async () => {
      inventory.traffic = await readers.traffic.read(region, inventory);
    });

    this.#logger.info('Collected Tencent Cloud inventory', {
      account,
      region,
      loadBalancers: inventory.loadBalancers.length,
      addresses: inventory.addresses.length,
      vpcEndpoints: inventory.vpcEndpoints.length,
      meshes: inventory.meshes.length,
      dnsZones: inventory.dnsZones?.length,
      measured: Object.keys(inventory.traffic ?? {}).length,
      errors: inventory.errors.length,
      ms: Date.now() - started,
    });
    return inventory;
  }
}

/** Cluster names must be unique across sources; a name used twice gets the cluster id appended. */
function withUniqueNames(clusters: TkeCluster[]): ClusterConnection[] {
  const counts = new Map<string, number>();
  clusters.forEach(c =>
    counts.set(c.descriptor.name, (counts.get(c.descriptor.name) ?? 0) + 1),
  );
  return clusters.map(({ descriptor, kubeconfig }) => ({
    descriptor:
      counts.get(descriptor.name)! > 1
        ? {
            ...descriptor,
            name: `${descriptor.name}-${descriptor.cloudClusterId}`,
          }
        : descriptor,
    kubeconfig,
  }));
}
