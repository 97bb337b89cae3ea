import { RejectedObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { Analyzer, finding } from './types';

/** `VirtualService shop/reviews`, or `a Service with no name in namespace shop`. */
export function describeRejected(object: RejectedObject): string {
  if (!object.name) {
    return `a ${object.kind} with no name${
      object.namespace ? ` in namespace ${object.namespace}` : ''
    }`;
  }
  return `${object.kind} ${[object.namespace, object.name]
    .filter(Boolean)
    .join('/')}`;
}

/**
 * An object the collector or the manifest reader left out because a field the atlas reads has the
 * wrong type: what it routes or exposes is missing from the picture until it is fixed.
 */
export const malformedObject: Analyzer = {
  codes: ['MALFORMED_OBJECT'],
  analyze: ({ clusters }) =>
    clusters.flatMap(objects =>
      (objects.inventory.rejected ?? []).map((rejected, index) =>
        finding({
          code: 'MALFORMED_OBJECT',
          severity: 'error',
          message: `${describeRejected(rejected)} in ${
            objects.name
          } is left out of the atlas: ${rejected.problems
            .map(p => `${p.field} ${p.problem}`)
            .join('; ')}`,
          objects: [
            {
              kind: rejected.kind,
              name: rejected.name ?? `(unnamed #${index + 1})`,
              namespace: rejected.namespace,
              cluster: objects.name,
            },
          ],
          fix: `Correct ${rejected.problems
            .map(p => p.field)
            .join(', ')} to the type the ${
            rejected.kind
          } API defines. Kubernetes accepts such objects only when they skip schema validation (kubectl apply --validate=false, or a CRD that preserves unknown fields); the controller that reads the object most likely ignores it too.`,
        }),
      ),
    ),
};
