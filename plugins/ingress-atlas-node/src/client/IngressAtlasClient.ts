import {
  AuthService,
  DiscoveryService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ClustersResponse,
  ExposuresPageResponse,
  ExposuresResponse,
  joinExposuresPages,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { CloudInventoryResponse, IngressAtlasApi } from './types';

const PLUGIN_ID = 'ingress-atlas';

/** Reads of all the pages of exposures before giving up on a model that keeps changing. */
const MAX_PAGED_READS = 5;

/**
 * Calls the Ingress Atlas backend with the calling plugin's own service token.
 *
 * @public
 */
export class IngressAtlasClient implements IngressAtlasApi {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new IngressAtlasClient(options.discovery, options.auth);
  }

  private constructor(discovery: DiscoveryService, auth: AuthService) {
    this.#discovery = discovery;
    this.#auth = auth;
  }

  /**
   * The whole exposure part of the model, read page by page (`GET /exposures?page=N`) so that
   * neither side takes in the whole body at once; read again from the first page when a new
   * model was published between two pages.
   */
  async getExposures(): Promise<ExposuresResponse> {
    for (let attempt = 1; ; attempt++) {
      const first = await this.#get<ExposuresPageResponse>('/exposures?page=0');
      const pages = [first];
      for (let page = 1; page < first.pages; page++) {
        const next = await this.#get<ExposuresPageResponse>(
          `/exposures?page=${page}`,
        );
        if (next.generatedAt !== first.generatedAt) break;
        pages.push(next);
      }
      const joined = joinExposuresPages(pages);
      if (joined) return joined;
      if (attempt === MAX_PAGED_READS) {
        throw new Error(
          `The Ingress Atlas model changed while its ${first.pages} pages of exposures were read, ${MAX_PAGED_READS} times in a row`,
        );
      }
    }
  }

  getClusters(): Promise<ClustersResponse> {
    return this.#get('/clusters');
  }

  getCloudInventory(): Promise<CloudInventoryResponse> {
    return this.#get('/cloud-inventory');
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discovery.getBaseUrl(PLUGIN_ID);
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
      targetPluginId: PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * The Ingress Atlas backend client, as seen by the plugin that depends on it.
 *
 * @public
 */
export const ingressAtlasClientServiceRef = createServiceRef<IngressAtlasApi>({
  id: 'ingress-atlas.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) =>
        IngressAtlasClient.create({ discovery, auth }),
    }),
});
