export {
  FINDINGS_CATALOGUE,
  FINDING_CODES,
  isFindingCode,
  type FindingCode,
  type FindingDefinition,
} from './catalogue';
