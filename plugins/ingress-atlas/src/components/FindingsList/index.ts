export {
  FindingBanner,
  FindingsList,
  FindingsTable,
  describeObject,
} from './FindingsList';
export { NodeFindings, atlasNodeFindings } from './NodeFindings';
