export { CostOverview } from './CostOverview';
