export {
  FindingBanner,
  FindingsList,
  FindingsTable,
  describeObject,
} from './FindingsList';
