/**
 * Test utilities for plugins that call the Ingress Atlas backend.
 *
 * @packageDocumentation
 */
export {
  sandboxCloudInventory,
  sandboxClusters,
  sandboxExposures,
} from './sandboxAtlas';
export { createIngressAtlasTestPlugin } from './ingressAtlasTestPlugin';
export type { IngressAtlasTestRequest } from './ingressAtlasTestPlugin';
