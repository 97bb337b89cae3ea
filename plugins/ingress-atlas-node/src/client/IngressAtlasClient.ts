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
  readExposuresPages,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { CloudInventoryResponse, IngressAtlasApi } from './types';

const PLUGIN_ID = 'ingress-atlas';

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

  /** The whole exposure part of the model, read page by page (see `readExposuresPages`). */
  getExposures(): Promise<ExposuresResponse> {
    return readExposuresPages(page =>
      this.#get<ExposuresPageResponse>(`/exposures?page=${page}`),
    );
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
