export {
  FindingBanner,
  FindingsList,
  FindingsTable,
  describeObject,
} from './FindingsList';
export { NodeFindings } from './NodeFindings';
