export { Section } from './Section';
export { NodeList, NodeListItem } from './NodeList';
