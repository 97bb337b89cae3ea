/*
 * The offline reader, the conformance corpus and the engine, from the backend plugin's source
 * (they are not part of its public API), for the corpus test.
 */
/* eslint-disable @backstage/no-forbidden-package-imports, no-restricted-imports */
export { KubeCollector } from '@ingress-atlas/plugin-ingress-atlas-backend/src/collection/KubeCollector';
export { analyze } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/analyze';
export {
  inferProvider,
  toInventory,
} from '@ingress-atlas/plugin-ingress-atlas-backend/src/manifests';
export { readObjects } from '@ingress-atlas/plugin-ingress-atlas-backend/src/manifests/readManifests';
export { corpusFiles } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/conformanceCorpus';
export type { CorpusFile } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/conformanceCorpus';
/* eslint-enable @backstage/no-forbidden-package-imports, no-restricted-imports */
