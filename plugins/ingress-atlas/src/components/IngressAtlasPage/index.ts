export { IngressAtlasPage } from './IngressAtlasPage';
