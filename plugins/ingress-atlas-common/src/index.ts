/**
 * Isomorphic parts of Ingress Atlas: the exposure model, annotations, permissions, prices
 * and the topology graph.
 *
 * @packageDocumentation
 */
export * from './model';
export * from './annotations';
export * from './permissions';
export * from './pricing';
export * from './costSummary';
export * from './graph';
