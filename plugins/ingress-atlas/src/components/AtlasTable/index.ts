export { AtlasTable } from './AtlasTable';
export type { AtlasColumn } from './AtlasTable';
