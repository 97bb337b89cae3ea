import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  sandboxCloudInventory,
  sandboxClusters,
  sandboxExposures,
} from './sandboxAtlas';

/** A request the stand-in answered: the path and the service principal that called. */
export interface IngressAtlasTestRequest {
  path: string;
  subject: string;
}

/**
 * A stand-in `ingress-atlas` backend plugin serving fixed responses over the test backend's
 * real HTTP server. Like the real one, it refuses calls without a Backstage token; it also
 * refuses users, because only backend plugins should be reading everything at once.
 */
export function createIngressAtlasTestPlugin(
  options: {
    responses?: Record<string, unknown>;
    /** Answers every request with this status and a Backstage error body. */
    failWith?: { status: number; name: string; message: string };
  } = {},
) {
  const responses: Record<string, unknown> = options.responses ?? {
    '/exposures': sandboxExposures,
    '/clusters': sandboxClusters,
    '/cloud-inventory': sandboxCloudInventory,
  };
  const requests: IngressAtlasTestRequest[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'ingress-atlas',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use((req, res, next) => {
            const body = responses[req.path];
            if (req.method !== 'GET' || body === undefined) {
              next();
              return;
            }
            httpAuth
              .credentials(req, { allow: ['service'] })
              .then(credentials => {
                requests.push({
                  path: req.path,
                  subject: credentials.principal.subject,
                });
                const { failWith } = options;
                if (failWith) {
                  res.status(failWith.status).json({
                    error: { name: failWith.name, message: failWith.message },
                    request: { method: req.method, url: req.originalUrl },
                    response: { statusCode: failWith.status },
                  });
                  return;
                }
                res.json(body);
              })
              .catch(next);
          });
        },
      });
    },
  });
  return { plugin, requests };
}
