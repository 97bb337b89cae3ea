export { analyze } from './analyze';
export type { AnalyzeInput, CatalogEntityLite, GatewayTraffic } from './types';
export { ANALYZERS } from './analyzers';
