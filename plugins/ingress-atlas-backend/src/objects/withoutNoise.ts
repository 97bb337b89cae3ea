import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

/**
 * Drops what the engine never reads and must not keep: managed fields, and kubectl's
 * last-applied annotation, which copies the whole object (for a Secret, its data too).
 */
export function withoutNoise(object: KubeObject): KubeObject {
  const { managedFields: _managed, ...metadata } =
    object.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']) {
    const {
      'kubectl.kubernetes.io/last-applied-configuration': _last,
      ...rest
    } = metadata.annotations;
    metadata.annotations = rest;
  }
  return { ...object, metadata };
}
