/**
 * Ingress Atlas backend plugin.
 *
 * @packageDocumentation
 */
export { ingressAtlasPlugin as default } from './plugin';
