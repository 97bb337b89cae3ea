/**
 * Catalog entity provider for Ingress Atlas: clusters, ingress gateways, load balancers and
 * EIPs as Resources, related to each other and to the components they serve.
 *
 * @packageDocumentation
 */
export { catalogModuleIngressAtlasEntityProvider as default } from './module';
export { IngressAtlasEntityProvider } from './provider/IngressAtlasEntityProvider';
export type { EntityProviderConfig } from './config';
export {
  ANNOTATION_ATLAS_CLUSTER,
  ANNOTATION_ATLAS_GATEWAY,
  ANNOTATION_CLOUD_RESOURCE_ID,
  LOCATION_PREFIX,
} from './provider/atlasEntities';
