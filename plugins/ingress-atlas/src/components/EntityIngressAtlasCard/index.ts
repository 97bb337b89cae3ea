export { EntityIngressAtlasCard } from './EntityIngressAtlasCard';
