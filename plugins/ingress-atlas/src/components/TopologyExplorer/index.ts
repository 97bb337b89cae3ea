export { TopologyExplorer } from './TopologyExplorer';
