import { Analyzer, finding, TEMPLATES } from './types';

/**
 * A Service with its own public load balancer in a cluster that has a mesh: it skips the
 * gateway's TLS, policies and telemetry, and costs a load balancer of its own.
 */
export const serviceBypassesMesh: Analyzer = {
  codes: ['SERVICE_BYPASSES_GATEWAY'],
  analyze: ({ model }) =>
    model.entries
      .filter(
        e =>
          e.type === 'load-balancer' &&
          e.network === 'public' &&
          !e.gateway &&
          e.service &&
          !(
            e.service.namespace === 'default' && e.service.name === 'kubernetes'
          ) &&
          model.controlPlanes.some(p => p.cluster === e.cluster),
      )
      .map(e =>
        finding({
          code: 'SERVICE_BYPASSES_GATEWAY',
          severity: 'info',
          message: `Service ${e.service!.namespace}/${e.service!.name} in ${
            e.cluster
          } has its own public load balancer instead of going through the mesh's ingress gateway`,
          objects: [
            {
              kind: 'Service',
              name: e.service!.name,
              namespace: e.service!.namespace,
              cluster: e.cluster,
              id: e.id,
            },
          ],
          fix: 'Route it through the ingress gateway (Gateway + VirtualService) and turn the Service back into ClusterIP.',
          templateRef: TEMPLATES.exposeServiceThroughMesh,
          parameters: {
            cluster: e.cluster,
            namespace: e.service!.namespace,
            service: e.service!.name,
          },
        }),
      ),
};
