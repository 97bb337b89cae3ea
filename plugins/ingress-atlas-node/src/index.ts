/**
 * Node-side contracts of Ingress Atlas: the inventory that collectors produce, the
 * extension points through which modules add cluster sources and cloud providers, and the
 * one reader of the clusters, cloud accounts and prices that the backend, its modules and
 * the scaffolder actions share.
 *
 * @packageDocumentation
 */
export * from './inventory';
export * from './changes';
export * from './extensions';
export * from './client';
export * from './config';
export * from './tencent';
export { ExpiringCache } from './ExpiringCache';
export { mapWithConcurrency } from './mapWithConcurrency';
export * from './retry';
export { readOptionalSchedule } from './schedule';
