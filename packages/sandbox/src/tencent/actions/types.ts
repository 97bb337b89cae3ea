import { TencentApiError } from '../errors';
import type { ApiObject, TencentState } from '../state';

export interface ActionContext {
  state: TencentState;
  /** X-TC-Region as sent; regional actions resolve it with `state.region()`. */
  region?: string;
  params: ApiObject;
  requestId: string;
}

/** Returns the Response body without its RequestId. */
export type ActionHandler = (ctx: ActionContext) => ApiObject;

/**
 * Offset/Limit paging with the bounds the real API enforces (`maxLimit` absent: none
 * documented), refused with the action's own error codes where it has them.
 */
export function page<T>(
  items: T[],
  params: ApiObject,
  limits: {
    defaultLimit: number;
    maxLimit?: number;
    offsetError?: string;
    limitError?: string;
  },
): T[] {
  const offset = params.Offset ?? 0;
  const limit = params.Limit ?? limits.defaultLimit;
  const maxLimit = limits.maxLimit ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new TencentApiError(
      limits.offsetError ?? 'InvalidParameterValue',
      `Offset must be a non-negative integer, got ${offset}.`,
    );
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new TencentApiError(
      limits.limitError ?? 'InvalidParameterValue',
      limits.maxLimit
        ? `Limit must be between 1 and ${limits.maxLimit}, got ${limit}.`
        : `Limit must be a positive integer, got ${limit}.`,
    );
  }
  return items.slice(offset, offset + limit);
}

/** `Filters: [{Name, Values}]`: an item passes when each filter matches one of its values. */
export function applyFilters<T>(
  items: T[],
  filters: Array<{ Name: string; Values: string[] }> | undefined,
  fields: Record<string, (item: T) => string | string[] | undefined>,
): T[] {
  let result = items;
  for (const filter of filters ?? []) {
    const field = fields[filter.Name];
    if (!field) {
      throw new TencentApiError(
        'InvalidParameter.FilterInvalidKey',
        `Filter \`${filter.Name}\` is not supported.`,
      );
    }
    result = result.filter(item => {
      const value = field(item);
      const values = Array.isArray(value) ? value : [value];
      return values.some(v => v !== undefined && filter.Values.includes(v));
    });
  }
  return result;
}

/**
 * The `tag:<key>` filters among `filters`, for applyFilters: each matches the value of that
 * tag, as `tagOf` reads it from an item.
 */
export function tagFilters<T>(
  filters: Array<{ Name: string; Values: string[] }>,
  tagOf: (item: T, key: string) => string | undefined,
): Record<string, (item: T) => string | undefined> {
  return Object.fromEntries(
    filters
      .filter(f => f.Name.startsWith('tag:'))
      .map(f => [
        f.Name,
        (item: T) => tagOf(item, f.Name.slice('tag:'.length)),
      ]),
  );
}

/** Drops the fields only the stand-in keeps (see state.ts). */
export function withoutKeys(object: ApiObject, keys: string[]): ApiObject {
  return Object.fromEntries(
    Object.entries(object).filter(([key]) => !keys.includes(key)),
  );
}

/**
 * The usual Describe answer over a list: the items `ids` (the request's id list, when it sent
 * one) and the request's filters keep, counted, and one page of them under `set`.
 */
export function describeList<T extends ApiObject>(
  items: T[],
  params: ApiObject,
  options: {
    set: string;
    ids?: (item: T) => string;
    idsParam?: string;
    filters: Record<string, (item: T) => string | string[] | undefined>;
  },
): ApiObject {
  const wanted: string[] | undefined = options.idsParam
    ? params[options.idsParam]
    : undefined;
  const matching = applyFilters(
    items.filter(item => !wanted || wanted.includes(options.ids!(item))),
    params.Filters,
    options.filters,
  );
  return {
    TotalCount: matching.length,
    [options.set]: page(matching, params, { defaultLimit: 20, maxLimit: 100 }),
  };
}
