/**
 * Ingress Atlas backend plugin.
 *
 * @packageDocumentation
 */
export { ingressAtlasPlugin as default } from './plugin';
// The exposure engine and the manifest reading, for the offline CLI (@ingress-atlas/cli).
export { analyze } from './engine';
export type { AnalyzeInput, CatalogEntityLite, GatewayTraffic } from './engine';
export {
  ManifestError,
  loadManifestCluster,
  readEntities,
  readYamlDocuments,
  yamlMessage,
} from './manifests';
export type { ManifestObjects, SkippedDocument } from './manifests';
