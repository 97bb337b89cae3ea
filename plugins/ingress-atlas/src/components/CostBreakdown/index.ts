export { CostBreakdown } from './CostBreakdown';
export { RecommendationList } from './RecommendationList';
