/**
 * Search collator for the hosts Ingress Atlas found exposed.
 *
 * @packageDocumentation
 */
export { searchModuleIngressAtlasCollator as default } from './module';
export { IngressAtlasCollatorFactory } from './collator/IngressAtlasCollatorFactory';
export type { IngressAtlasDocument } from './collator/IngressAtlasCollatorFactory';
