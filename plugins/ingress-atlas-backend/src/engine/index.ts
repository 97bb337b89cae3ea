export { analyze } from './analyze';
export type { AnalyzeInput, CatalogEntityLite } from './types';
export { ANALYZERS } from './analyzers';
