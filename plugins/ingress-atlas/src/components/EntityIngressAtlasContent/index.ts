export { EntityIngressAtlasContent } from './EntityIngressAtlasContent';
