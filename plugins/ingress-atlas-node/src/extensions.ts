import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ClusterDescriptor, CloudInventory } from './inventory';

/**
 * How to reach one cluster. The connection details are credentials: they stay in the
 * backend's memory and are never stored, logged or served.
 *
 * @public
 */
export interface ClusterConnection {
  descriptor: ClusterDescriptor;
  /** A kubeconfig document (YAML), e.g. from a cloud API. */
  kubeconfig?: string;
  /** Or a kubeconfig file on the backend host (its current context is used). */
  kubeconfigPath?: string;
  /** Or an API server URL (descriptor.url) with a bearer token and CA. */
  auth?: { token?: string; caData?: string; skipTLSVerify?: boolean };
  /** Or folders/files of manifests, for read-only offline clusters. */
  manifestPaths?: string[];
}

/**
 * Contributes clusters to the atlas (config, Backstage's kubernetes config, catalog, clouds).
 *
 * @public
 */
export interface IngressAtlasClusterSource {
  id: string;
  listClusters(): Promise<ClusterConnection[]>;
}

/**
 * Cloud-side inventory and clusters of one provider (Tencent, Aliyun, Huawei, ...).
 *
 * @public
 */
export interface IngressAtlasCloudProvider {
  id: string;
  listClusters?(): Promise<ClusterConnection[]>;
  collectInventory(): Promise<CloudInventory[]>;
  /** Hourly prices learned from the provider's price APIs, keyed like the price catalogue. */
  inquirePrices?(): Promise<Record<string, number>>;
}

/** @public */
export interface IngressAtlasClusterSourcesExtensionPoint {
  addClusterSource(source: IngressAtlasClusterSource): void;
}

/** @public */
export const ingressAtlasClusterSourcesExtensionPoint =
  createExtensionPoint<IngressAtlasClusterSourcesExtensionPoint>({
    id: 'ingress-atlas.cluster-sources',
  });

/** @public */
export interface IngressAtlasCloudProvidersExtensionPoint {
  addCloudProvider(provider: IngressAtlasCloudProvider): void;
}

/** @public */
export const ingressAtlasCloudProvidersExtensionPoint =
  createExtensionPoint<IngressAtlasCloudProvidersExtensionPoint>({
    id: 'ingress-atlas.cloud-providers',
  });
