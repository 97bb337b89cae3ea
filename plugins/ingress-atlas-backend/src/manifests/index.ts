export { ManifestError, parseManifests, yamlMessage } from './parseManifests';
export type { SkippedDocument } from './parseManifests';
export { collectedKindOf, inferProvider, toInventory } from './toInventory';
export type { ManifestObjects } from './toInventory';
export {
  loadManifestCluster,
  manifestFiles,
  readManifestInventory,
  readObjects,
} from './readManifests';
export { readEntities, readYamlDocuments } from './readDataFiles';
