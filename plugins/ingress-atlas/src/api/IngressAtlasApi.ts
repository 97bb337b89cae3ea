import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ClustersResponse,
  CostHistoryResponse,
  CostResponse,
  EntityExposure,
  ExposuresPageResponse,
  ExposuresResponse,
  FindingsFilter,
  FindingsResponse,
  Topology,
  TopologyFilter,
  readExposuresPages,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * Reads the exposure model from the ingress-atlas backend.
 *
 * @public
 */
export interface IngressAtlasApi {
  getClusters(): Promise<ClustersResponse>;
  getEntityExposure(entity: CompoundEntityRef): Promise<EntityExposure>;
  getTopology(filter?: TopologyFilter): Promise<Topology>;
  getFindings(filter?: FindingsFilter): Promise<FindingsResponse>;
  getCost(): Promise<CostResponse>;
  /** The cost of each of the last `days` days (UTC), all that is kept by default. */
  getCostHistory(options?: { days?: number }): Promise<CostHistoryResponse>;
  /** Every exposure path with its entries, gateways, routes and costs. */
  getExposures(): Promise<ExposuresResponse>;
  /** Schedules a refresh of all clusters and cloud inventories. */
  refresh(): Promise<void>;
}

/** @public */
export const ingressAtlasApiRef = createApiRef<IngressAtlasApi>({
  id: 'plugin.ingress-atlas.service',
});

const EXPOSURE_REUSE_MS = 30_000;

/** An exposure asked for recently, and the model it was read from once it has arrived. */
interface CachedExposure {
  at: number;
  exposure: Promise<EntityExposure>;
  generatedAt?: string;
}

/**
 * Talks to the ingress-atlas backend with the user's Backstage token.
 *
 * @public
 */
export class IngressAtlasClient implements IngressAtlasApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;
  /**
   * Entity exposures asked for recently: the card and the Ingress tab of one entity page ask
   * for the same exposure, and the atlas changes only on its refresh, minutes apart.
   */
  readonly #exposures = new Map<string, CachedExposure>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getClusters(): Promise<ClustersResponse> {
    const clusters = await this.#get<ClustersResponse>('/clusters');
    // Exposures read from an older model are out of date.
    for (const [path, cached] of this.#exposures) {
      if (cached.generatedAt && cached.generatedAt !== clusters.generatedAt) {
        this.#exposures.delete(path);
      }
    }
    return clusters;
  }

  getEntityExposure(entity: CompoundEntityRef): Promise<EntityExposure> {
    const path = [entity.kind, entity.namespace, entity.name]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    const cached = this.#exposures.get(path);
    if (cached && Date.now() - cached.at < EXPOSURE_REUSE_MS) {
      return cached.exposure;
    }
    const exposure = this.#get<EntityExposure>(`/entities/${path}/exposure`);
    const entry: CachedExposure = { at: Date.now(), exposure };
    this.#exposures.set(path, entry);
    exposure.then(
      read => {
        entry.generatedAt = read.generatedAt;
      },
      // A failure is not kept: the next view asks again.
      () => this.#exposures.delete(path),
    );
    return exposure;
  }

  getTopology(filter: TopologyFilter = {}): Promise<Topology> {
    return this.#get(`/topology${query({ ...filter })}`);
  }

  getFindings(filter: FindingsFilter = {}): Promise<FindingsResponse> {
    return this.#get(`/findings${query({ ...filter })}`);
  }

  getCost(): Promise<CostResponse> {
    return this.#get('/cost');
  }

  getCostHistory(
    options: { days?: number } = {},
  ): Promise<CostHistoryResponse> {
    return this.#get(
      `/cost/history${query({ days: options.days?.toString() })}`,
    );
  }

  /** Read page by page: at fleet scale the whole body is over 100 MiB of JSON. */
  getExposures(): Promise<ExposuresResponse> {
    return readExposuresPages(page =>
      this.#get<ExposuresPageResponse>(
        `/exposures${query({ page: String(page) })}`,
      ),
    );
  }

  async refresh(): Promise<void> {
    this.#exposures.clear();
    const res = await this.#fetchApi.fetch(await this.#url('/refresh'), {
      method: 'POST',
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
  }

  async #get<T>(path: string): Promise<T> {
    const res = await this.#fetchApi.fetch(await this.#url(path));
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.json();
  }

  async #url(path: string) {
    return `${await this.#discoveryApi.getBaseUrl('ingress-atlas')}${path}`;
  }
}

function query(params: Record<string, string | undefined>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
