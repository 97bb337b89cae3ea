/**
 * Local stand-ins for the Kubernetes and Tencent Cloud APIs of the Ingress Atlas sandbox.
 *
 * @packageDocumentation
 */
export * from './tencent';
