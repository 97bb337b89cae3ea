/*
 * The bodies of the backend's REST API (`/api/ingress-atlas`), written once: the router
 * answers with them, and the frontend and -node clients read them. `GET /topology` answers
 * a `Topology` for a `TopologyFilter` query (graph.ts). openapi.yaml in the
 * backend documents the same shapes; a test there checks the router's answers against it.
 */
import type { CostSummary } from './costSummary';
import type {
  AtlasCluster,
  AtlasModel,
  Cost,
  Finding,
  Recommendation,
  Severity,
} from './model';

/**
 * A cluster source (config, catalog, a cloud account) that failed to list its clusters.
 *
 * @public
 */
export interface SourceError {
  source: string;
  error: string;
}

/**
 * `GET /clusters`.
 *
 * @public
 */
export interface ClustersResponse {
  /** Absent until the first refresh has built a model. */
  generatedAt?: string;
  clusters: AtlasCluster[];
  /** Sources that failed in the refresh that made the model; stored with it. */
  sourceErrors: SourceError[];
}

/**
 * `GET /entities/:kind/:namespace/:name/exposure`: what the atlas knows about one entity,
 * its paths and everything on them.
 *
 * @public
 */
export type EntityExposure = Pick<
  AtlasModel,
  | 'paths'
  | 'entries'
  | 'gateways'
  | 'routes'
  | 'findings'
  | 'costs'
  | 'recommendations'
  | 'clusters'
> & { entityRef: string; generatedAt?: string };

/**
 * The query of `GET /findings`.
 *
 * @public
 */
export interface FindingsFilter {
  cluster?: string;
  severity?: Severity;
}

/**
 * `GET /findings`.
 *
 * @public
 */
export interface FindingsResponse {
  findings: Finding[];
}

/**
 * `GET /cost`.
 *
 * @public
 */
export interface CostResponse {
  /** Absent until the first refresh has built a model. */
  summary?: CostSummary;
  costs: Cost[];
  recommendations: Recommendation[];
}

/**
 * How many days of cost `GET /cost/history` keeps, and the most it answers.
 *
 * @public
 */
export const COST_HISTORY_DAYS = 90;

/**
 * A cost of one day in `GET /cost/history`, in the response's `unit`.
 *
 * @public
 */
export interface CostHistoryAmount {
  amount: number;
  /** Something known to bill had no price that day: the amount leaves it out. */
  unpriced: boolean;
}

/**
 * The cost of one day (UTC), as the last model published that day priced it.
 *
 * @public
 */
export interface CostHistoryDay {
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  total: CostHistoryAmount;
  /** Keyed as `CostSummary.byCluster` (`unattached`: idle and orphaned resources). */
  byCluster: Record<string, CostHistoryAmount>;
  byProvider: Record<string, CostHistoryAmount>;
}

/**
 * `GET /cost/history?days=N` (1 to {@link COST_HISTORY_DAYS}, default all of them).
 *
 * @public
 */
export interface CostHistoryResponse {
  /** The unit of every amount: a monthly-equivalent rate, `CNY/month`. */
  unit: string;
  /** The first and last day of the window asked for (`YYYY-MM-DD`, UTC; `to` is today). */
  from: string;
  to: string;
  /** The days with a cost recorded, oldest first; a day no model was published is missing. */
  days: CostHistoryDay[];
}

/**
 * `GET /exposures`: every exposure path with the entries, gateways, routes and costs on them.
 *
 * @public
 */
export type ExposuresResponse = Pick<
  AtlasModel,
  'paths' | 'entries' | 'gateways' | 'routes' | 'costs'
> & { generatedAt?: string };

/**
 * `GET /exposures?page=N`: the same body in pages of at most `EXPOSURES_PAGE_ITEMS` items,
 * for readers of the whole model that should not take it in at once. The pages are the
 * arrays of `ExposuresResponse` in order (paths, entries, gateways, routes, costs), cut every
 * `EXPOSURES_PAGE_ITEMS` items; joined, the pages of one `generatedAt` are the whole body.
 *
 * @public
 */
export type ExposuresPageResponse = ExposuresResponse & {
  /** This page, from 0. */
  page: number;
  /** How many pages the model has (at least 1). */
  pages: number;
};

/**
 * Items per page of `GET /exposures?page=N`.
 *
 * @public
 */
export const EXPOSURES_PAGE_ITEMS = 5_000;

/** The arrays of `ExposuresResponse`, in the order its pages cut them. */
const EXPOSURES_FIELDS = [
  'paths',
  'entries',
  'gateways',
  'routes',
  'costs',
] as const;

/**
 * The body of `GET /exposures` as its pages are cut from it: each array as its length and
 * its items from `start` to `end` (an array is such a list; so is one kept compressed, which
 * reads only the items of the page).
 *
 * @public
 */
export type ExposuresLists = {
  [F in keyof Omit<ExposuresResponse, 'generatedAt'>]: {
    length: number;
    slice(start: number, end: number): ExposuresResponse[F];
  };
} & { generatedAt?: string };

/**
 * `body` cut into the pages of `GET /exposures?page=N`, one page at a time.
 *
 * @public
 */
export function* exposuresPages(
  body: ExposuresLists,
): Generator<ExposuresPageResponse> {
  const total = EXPOSURES_FIELDS.reduce(
    (sum, field) => sum + body[field].length,
    0,
  );
  const pages = Math.max(1, Math.ceil(total / EXPOSURES_PAGE_ITEMS));
  for (let page = 0; page < pages; page++) {
    const pageStart = page * EXPOSURES_PAGE_ITEMS;
    const pageEnd = pageStart + EXPOSURES_PAGE_ITEMS;
    let offset = 0;
    const part: Record<string, unknown[]> = {};
    for (const field of EXPOSURES_FIELDS) {
      const list = body[field];
      part[field] = list.slice(
        Math.min(list.length, Math.max(0, pageStart - offset)),
        Math.min(list.length, Math.max(0, pageEnd - offset)),
      );
      offset += list.length;
    }
    yield {
      generatedAt: body.generatedAt,
      ...(part as Pick<ExposuresResponse, (typeof EXPOSURES_FIELDS)[number]>),
      page,
      pages,
    };
  }
}

/** Reads of all the pages before giving up on a model that keeps changing. */
const PAGED_READS = 5;

/**
 * The whole exposure part of the model, read page by page with `getPage` (which asks for
 * `GET /exposures?page=N`) so that neither side takes in the whole body at once; read again
 * from the first page when a new model was published between two pages.
 *
 * @public
 */
export async function readExposuresPages(
  getPage: (page: number) => Promise<ExposuresPageResponse>,
): Promise<ExposuresResponse> {
  for (let attempt = 1; ; attempt++) {
    const first = await getPage(0);
    const pages = [first];
    for (let page = 1; page < first.pages; page++) {
      const next = await getPage(page);
      if (next.generatedAt !== first.generatedAt) break;
      pages.push(next);
    }
    const joined = joinExposuresPages(pages);
    if (joined) return joined;
    if (attempt === PAGED_READS) {
      throw new Error(
        `The Ingress Atlas model changed while its ${first.pages} pages of exposures were read, ${PAGED_READS} times in a row`,
      );
    }
  }
}

/**
 * The pages of `GET /exposures?page=N` joined again into the whole body; undefined when they
 * are not all of one model (a new one was published between two pages).
 *
 * @public
 */
export function joinExposuresPages(
  pages: ExposuresPageResponse[],
): ExposuresResponse | undefined {
  const [first] = pages;
  if (
    !first ||
    pages.length !== first.pages ||
    pages.some((p, i) => p.page !== i || p.generatedAt !== first.generatedAt)
  ) {
    return undefined;
  }
  const joined = Object.fromEntries(
    EXPOSURES_FIELDS.map(field => [
      field,
      pages.flatMap(p => p[field] as unknown[]),
    ]),
  ) as Pick<ExposuresResponse, (typeof EXPOSURES_FIELDS)[number]>;
  return { generatedAt: first.generatedAt, ...joined };
}

/**
 * `POST /refresh` (202).
 *
 * @public
 */
export interface RefreshResponse {
  status: 'scheduled';
}
