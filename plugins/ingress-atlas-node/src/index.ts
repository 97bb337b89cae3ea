/**
 * Node-side contracts of Ingress Atlas: the inventory that collectors produce and the
 * extension points through which modules add cluster sources and cloud providers.
 *
 * @packageDocumentation
 */
export * from './inventory';
export * from './extensions';
export * from './client';
export { mapWithConcurrency } from './mapWithConcurrency';
export { readOptionalSchedule } from './schedule';
