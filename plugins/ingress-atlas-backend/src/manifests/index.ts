export { ManifestError, parseManifests } from './parseManifests';
export type { SkippedDocument } from './parseManifests';
export { collectedKindOf, inferProvider, toInventory } from './toInventory';
export type { ManifestObjects } from './toInventory';
export {
  loadManifestCluster,
  manifestFiles,
  readManifestInventory,
  readObjects,
} from './readManifests';
export { ESTATES_FILE, isEstatesFolder, loadEstates } from './estates';
export { readEntities, readYamlDocuments } from './readDataFiles';
