import type { TencentClients } from '@ingress-atlas/plugin-ingress-atlas-node';
import { TencentReader } from '../client/TencentReader';

/**
 * DescribeDomainList's page size: the API's documented default, 3000 (the docs name no other
 * bound), so an account rarely takes more than one call.
 */
const DOMAIN_PAGE_LIMIT = 3000;

/** Reads the domains (DNS zones) an account hosts on DNSPod, which is not regional. */
export class DnspodZones extends TencentReader {
  static create(options: { clients: TencentClients }) {
    return new DnspodZones(options.clients);
  }

  /**
   * The zone names, lower-case and sorted. A domain's punycode form is the one Kubernetes
   * hosts and the DNSPod API both take; for an ASCII domain it is its name.
   */
  async list(): Promise<string[]> {
    const client = this.clients.dnspod();
    const domains = await this.describeAll(
      '',
      'DescribeDomainList',
      page => client.DescribeDomainList(page),
      response => ({
        items: response.DomainList,
        total: response.DomainCountInfo?.DomainTotal,
      }),
      DOMAIN_PAGE_LIMIT,
    );
    const names = domains.flatMap(d => {
      const name = (d.Punycode || d.Name)?.toLowerCase();
      return name ? [name] : [];
    });
    return [...new Set(names)].sort();
  }
}
