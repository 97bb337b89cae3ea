/**
 * Isomorphic parts of Ingress Atlas: the exposure model and how it reads to a person,
 * annotations, permissions, prices, the topology graph and the bodies of the REST API.
 *
 * @packageDocumentation
 */
export * from './model';
export * from './annotations';
export * from './permissions';
export * from './pricing';
export * from './traffic';
export * from './costSummary';
export * from './graph';
export * from './hosts';
export * from './labels';
export * from './installers';
export * from './describe';
export * from './tke';
export * from './cce';
export * from './internalLoadBalancers';
export * from './privilegedPorts';
export * from './api';
export * from './accountInventory';
export * from './findings';
export * from './catalogResources';
