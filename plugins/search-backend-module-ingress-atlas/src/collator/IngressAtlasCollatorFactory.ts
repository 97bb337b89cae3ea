import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  describeEntry,
  describeGateway,
  describeMonthlyCost,
  describeTls,
  Entry,
  ExposurePath,
  ExposuresResponse,
  formatMonthlyCny,
  NetworkReach,
  widestReach,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { IngressAtlasApi } from '@ingress-atlas/plugin-ingress-atlas-node';
import { Readable } from 'node:stream';
import { readCollatorConfig } from './config';

/**
 * One exposed host as its owning entity sees it.
 *
 * @public
 */
export interface IngressAtlasDocument extends IndexableDocument {
  host: string;
  /** The entity whose Ingress tab the result links to; also what search authorizes on. */
  entityRef: string;
  clusters: string[];
  /** `public` when any path to the host is. */
  network: NetworkReach;
  addresses: string[];
  /** CLB, EIP, SLB, ELB... ids the host is reached through. */
  cloudResourceIds: string[];
  /** This host's share of what its entries cost a month, when priced. */
  monthlyCostCny?: number;
}

const REACHABLE_FROM: Record<NetworkReach, string> = {
  public: 'from the internet',
  internal: 'inside the network',
  unknown: 'from a network the inventory does not tell',
};

/**
 * Indexes every exposed host: one document per host and owning entity, linking to that
 * entity's Ingress tab. Hosts no catalog entity owns are left out, as search results are
 * authorized through the owner.
 *
 * @public
 */
export class IngressAtlasCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'ingress-atlas';
  readonly visibilityPermission = catalogEntityReadPermission;

  readonly #atlas: IngressAtlasApi;
  readonly #logger: LoggerService;
  readonly #locationTemplate: string;

  static fromConfig(
    config: Config,
    options: { atlas: IngressAtlasApi; logger: LoggerService },
  ) {
    const { locationTemplate } = readCollatorConfig(config);
    return new IngressAtlasCollatorFactory({ ...options, locationTemplate });
  }

  private constructor(options: {
    atlas: IngressAtlasApi;
    logger: LoggerService;
    locationTemplate: string;
  }) {
    this.#atlas = options.atlas;
    this.#logger = options.logger;
    this.#locationTemplate = options.locationTemplate;
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.#execute());
  }

  async *#execute(): AsyncGenerator<IngressAtlasDocument> {
    const exposures = await this.#atlas.getExposures();
    if (!exposures.generatedAt) {
      // Indexing nothing would wipe the results until the next run.
      throw new ServiceUnavailableError(
        'Ingress Atlas has not finished its first refresh; not indexing yet',
      );
    }
    const byOwnedHost = new Map<string, ExposurePath[]>();
    const unowned = new Set<string>();
    for (const path of exposures.paths) {
      if (path.entityRefs.length === 0) unowned.add(path.host);
      for (const entityRef of path.entityRefs) {
        const key = JSON.stringify([path.host, entityRef]);
        byOwnedHost.set(key, [...(byOwnedHost.get(key) ?? []), path]);
      }
    }
    if (unowned.size > 0) {
      this.#logger.info('Not indexing exposed hosts no catalog entity owns', {
        hosts: [...unowned].sort().join(', '),
      });
    }
    const keys = [...byOwnedHost.keys()].sort();
    for (const key of keys) {
      const [host, entityRef] = JSON.parse(key) as [string, string];
      yield this.#document(host, entityRef, byOwnedHost.get(key)!, exposures);
    }
  }

  #document(
    host: string,
    entityRef: string,
    paths: ExposurePath[],
    exposures: ExposuresResponse,
  ): IngressAtlasDocument {
    const entries = unique(paths.map(p => p.entry))
      .map(id => exposures.entries.find(e => e.id === id))
      .filter((e): e is Entry => Boolean(e));
    const gatewayName = (id: string) => {
      const gateway = exposures.gateways.find(g => g.id === id);
      return gateway ? describeGateway(gateway) : id;
    };
    const clusters = unique(paths.map(p => p.cluster));
    const network = widestReach(paths.map(p => p.network));
    const shares = paths
      .map(p => p.monthlyCostShareCny)
      .filter((c): c is number => c !== undefined);
    const monthlyCostCny = shares.length ? round(sum(shares)) : undefined;
    const entryCosts = entries.flatMap(e =>
      exposures.costs.filter(c => c.entry === e.id),
    );
    const entriesCost = round(sum(entryCosts.map(c => c.monthlyCny)));

    const lines = [
      `${host} is reachable ${REACHABLE_FROM[network]} on ${clusters.join(
        ', ',
      )}.`,
      ...entries.map(e => `Entry: ${describeEntry(e)} (${e.network}).`),
      ...unique(paths.flatMap(p => p.via)).map(
        id => `Through front proxy ${gatewayName(id)}.`,
      ),
      ...unique(paths.flatMap(p => (p.gateway ? [p.gateway] : []))).map(
        id => `Gateway: ${gatewayName(id)}.`,
      ),
      ...unique(paths.map(p => describeTls(p.tls))).map(tls => `TLS: ${tls}.`),
      ...(paths.some(p => p.apiServer)
        ? ['Reaches the Kubernetes API server.']
        : []),
      describeCost(monthlyCostCny, entriesCost, entryCosts),
    ];

    return {
      title: host,
      text: lines.join('\n'),
      location: this.#location(entityRef, host),
      authorization: { resourceRef: entityRef },
      host,
      entityRef,
      clusters,
      network,
      addresses: unique(entries.flatMap(e => e.addresses)),
      cloudResourceIds: unique(entries.flatMap(cloudResourceIdsOf)),
      ...(monthlyCostCny !== undefined ? { monthlyCostCny } : {}),
    };
  }

  /**
   * The owner's tab, with the host: search engines key documents by location (Lunr keeps one
   * document per location), so an entity's hosts each need their own.
   */
  #location(entityRef: string, host: string): string {
    const ref = parseEntityRef(entityRef);
    const tab = this.#locationTemplate
      .replace(':namespace', encodeURIComponent(ref.namespace))
      .replace(':kind', encodeURIComponent(ref.kind))
      .replace(':name', encodeURIComponent(ref.name))
      .toLocaleLowerCase('en-US');
    const query = new URLSearchParams({
      host: host.toLocaleLowerCase('en-US'),
    });
    return `${tab}${tab.includes('?') ? '&' : '?'}${query}`;
  }
}

function cloudResourceIdsOf(entry: Entry): string[] {
  return unique([
    ...(entry.cloudResourceId ? [entry.cloudResourceId] : []),
    ...entry.resources.map(r => r.id),
  ]);
}

/**
 * `Monthly cost: 160.32 CNY/month, plus traffic of unknown volume (this host's share of
 * entries costing 240.48 CNY/month).`
 */
function describeCost(
  share: number | undefined,
  entriesCost: number,
  entryCosts: ExposuresResponse['costs'],
): string {
  const cost = describeMonthlyCost(share, {
    unpriced: entryCosts.some(c => c.unpriced.length > 0),
    trafficUnknown: entryCosts.some(c => c.traffic === 'unknown'),
  });
  const ofEntries =
    share && share !== entriesCost
      ? ` (this host's share of entries costing ${formatMonthlyCny(
          entriesCost,
        )})`
      : '';
  return `Monthly cost: ${cost}${ofEntries}.`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
