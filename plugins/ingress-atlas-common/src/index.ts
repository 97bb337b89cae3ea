/**
 * Isomorphic parts of Ingress Atlas: the exposure model, annotations, permissions, prices,
 * the topology graph and the bodies of the REST API.
 *
 * @packageDocumentation
 */
export * from './model';
export * from './annotations';
export * from './permissions';
export * from './pricing';
export * from './costSummary';
export * from './graph';
export * from './hosts';
export * from './labels';
export * from './tke';
export * from './api';
export * from './accountInventory';
export * from './findings';
