import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  COST_HISTORY_DAYS,
  ClustersResponse,
  CostHistoryResponse,
  FindingsFilter,
  RefreshResponse,
  TopologyFilter,
  ingressAtlasCloudInventoryReadPermission,
  ingressAtlasReadPermission,
  ingressAtlasRefreshPermission,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventoryResponse } from '@ingress-atlas/plugin-ingress-atlas-node';
import express from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import Router from 'express-promise-router';
import { z } from 'zod';
import { CostHistoryStore } from './costHistory/CostHistoryStore';
import { AtlasModelService } from './views/AtlasModelService';
import { PermissionDecisionCache } from './permissions/PermissionDecisionCache';
import { SerializedJson } from './views/serializedJson';
import { DerivedView } from './views/derivedViews';
import { SnapshotStore } from './snapshots/SnapshotStore';

const topologyQuery: z.ZodType<TopologyFilter> = z.object({
  cluster: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
});

const findingsQuery: z.ZodType<FindingsFilter> = z.object({
  cluster: z.string().min(1).optional(),
  severity: z.enum(['info', 'warning', 'error']).optional(),
});

const exposuresQuery = z.object({
  page: z.coerce.number().int().min(0).optional(),
});

const costHistoryQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(COST_HISTORY_DAYS)
    .default(COST_HISTORY_DAYS),
});

/** A known route asked with a method it does not have: 405, with `Allow`. */
class MethodNotAllowedError extends CustomErrorBase {
  readonly statusCode = 405;
}

const entityRefParts = makeValidator();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `Invalid ${what}: ${issue.path.join('.') || 'value'} ${issue.message}`,
    );
  }
  return result.data;
}

/**
 * Sends a body serialized in advance: 304 when the client has it already, gzip when the
 * client takes it (the compression middleware leaves an encoded body alone).
 */
async function sendSerialized(
  req: express.Request,
  res: express.Response,
  body: SerializedJson,
) {
  res.setHeader('ETag', body.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.gzip.byteLength);
    res.end(body.gzip);
  } else if (body.json) {
    res.setHeader('Content-Length', body.json.byteLength);
    res.end(body.json);
  } else {
    await pipeline(Readable.from([body.gzip]), zlib.createGunzip(), res);
  }
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  models: AtlasModelService;
  store: SnapshotStore;
  costHistory: CostHistoryStore;
  triggerRefresh: () => Promise<void>;
}): Promise<express.Router> {
  const { httpAuth, permissions, models, store, costHistory } = options;
  const router = Router();
  router.use(express.json());

  const decisions = PermissionDecisionCache.create({ permissions });
  const isAllowed = async (req: express.Request, permission: BasicPermission) =>
    decisions.isAllowed(await httpAuth.credentials(req), permission);
  const requirePermission = async (
    req: express.Request,
    permission: BasicPermission,
  ) => {
    if (!(await isAllowed(req, permission))) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  };
  const mayReadAccountInventory = (req: express.Request) =>
    isAllowed(req, ingressAtlasCloudInventoryReadPermission);
  // Each answer is typed with its body from -common, which the clients read.
  router.get(
    '/clusters',
    async (req, res: express.Response<ClustersResponse>) => {
      // Clusters hold no account inventory: nothing to hide from readers without that permission.
      await requirePermission(req, ingressAtlasReadPermission);
      const summary = await models.summary();
      res.json({
        generatedAt: summary?.generatedAt,
        clusters: summary?.clusters ?? [],
        sourceErrors: await models.sourceErrors(),
      });
    },
  );

  router.get('/entities/:kind/:namespace/:name/exposure', async (req, res) => {
    await requirePermission(req, ingressAtlasReadPermission);
    const { kind, namespace, name } = req.params;
    if (!entityRefParts.isValidKind(kind)) {
      throw new InputError(`Invalid entity kind '${kind}'`);
    }
    if (!entityRefParts.isValidNamespace(namespace)) {
      throw new InputError(`Invalid entity namespace '${namespace}'`);
    }
    if (!entityRefParts.isValidEntityName(name)) {
      throw new InputError(`Invalid entity name '${name}'`);
    }
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    await sendSerialized(req, res, await models.entityExposure(entityRef));
  });

  /** A view of the whole model as the caller may see it, written once per revision. */
  const sendDerived = async (
    req: express.Request,
    res: express.Response,
    view: DerivedView,
  ) => {
    await requirePermission(req, ingressAtlasReadPermission);
    const accountInventory = await mayReadAccountInventory(req);
    await sendSerialized(
      req,
      res,
      await models.derived({ view, accountInventory }),
    );
  };

  router.get('/topology', async (req, res) => {
    const filter = parse(topologyQuery, req.query, 'topology query');
    await sendDerived(req, res, { route: 'topology', filter });
  });

  router.get('/findings', async (req, res) => {
    const filter = parse(findingsQuery, req.query, 'findings query');
    await sendDerived(req, res, { route: 'findings', filter });
  });

  router.get('/cost', async (req, res) => {
    await sendDerived(req, res, { route: 'cost' });
  });

  router.get(
    '/cost/history',
    async (req, res: express.Response<CostHistoryResponse>) => {
      const { days } = parse(costHistoryQuery, req.query, 'cost history query');
      await requirePermission(req, ingressAtlasReadPermission);
      const accountInventory = await mayReadAccountInventory(req);
      res.json(await costHistory.history({ days, accountInventory }));
    },
  );

  router.get('/exposures', async (req, res) => {
    const { page } = parse(exposuresQuery, req.query, 'exposures query');
    await requirePermission(req, ingressAtlasReadPermission);
    const accountInventory = await mayReadAccountInventory(req);
    const body = await models.allExposures({ accountInventory, page });
    if (!body) {
      throw new NotFoundError(`The model has no page ${page} of exposures`);
    }
    await sendSerialized(req, res, body);
  });

  router.post(
    '/refresh',
    async (req, res: express.Response<RefreshResponse>) => {
      await requirePermission(req, ingressAtlasRefreshPermission);
      await options.triggerRefresh();
      res.status(202).json({ status: 'scheduled' });
    },
  );

  router.get(
    '/cloud-inventory',
    async (req, res: express.Response<CloudInventoryResponse>) => {
      await requirePermission(req, ingressAtlasCloudInventoryReadPermission);
      res.json({ inventories: await store.listCloud() });
    },
  );

  // Last: a known path asked with another method is a 405 that says which methods it has.
  router.use((req, res, next) => {
    const methods = new Set(
      (router.stack as Array<{ route?: { methods: object }; regexp: RegExp }>)
        .filter(layer => layer.route && layer.regexp.test(req.path))
        .flatMap(layer => Object.keys(layer.route!.methods))
        .flatMap(method =>
          method === 'get' ? ['GET', 'HEAD'] : [method.toUpperCase()],
        ),
    );
    if (methods.size === 0) {
      next();
      return;
    }
    res.setHeader('Allow', [...methods].join(', '));
    throw new MethodNotAllowedError(
      `${req.method} is not allowed on ${req.path}; allowed: ${[
        ...methods,
      ].join(', ')}`,
    );
  });

  return router;
}
