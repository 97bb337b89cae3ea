export {
  FindingBanner,
  FindingTemplateButton,
  FindingsList,
  FindingsTable,
  describeObject,
} from './FindingsList';
export { NodeFindings } from './NodeFindings';
export { FindingCodeDetails } from './FindingCodeDetails';
