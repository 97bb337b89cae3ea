export { ExposurePathsTable } from './ExposurePathsTable';
