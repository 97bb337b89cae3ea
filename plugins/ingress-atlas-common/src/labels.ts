/**
 * Label matching as Kubernetes does it: selectors, label selector objects and query strings.
 *
 * @public
 */

export type Labels = Record<string, string> | undefined;

/**
 * A plain `key: value` selector (Service, Istio Gateway): every pair must be present.
 *
 * @public
 */
export function matchesSelector(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return false;
  return entries.every(([key, value]) => labels?.[key] === value);
}

/**
 * One requirement of a Kubernetes label selector's `matchExpressions`.
 *
 * @public
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** @public */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

function meets(req: LabelSelectorRequirement, labels: Labels): boolean {
  const value = labels?.[req.key];
  switch (req.operator) {
    case 'In':
      return value !== undefined && (req.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(req.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/**
 * A `metav1.LabelSelector` (workload selectors); an empty one matches nothing here.
 *
 * @public
 */
export function matchesLabelSelector(
  selector: LabelSelector | undefined,
  labels: Labels,
): boolean {
  const matchLabels = Object.entries(selector?.matchLabels ?? {});
  const expressions = selector?.matchExpressions ?? [];
  if (matchLabels.length === 0 && expressions.length === 0) return false;
  return (
    matchLabels.every(([key, value]) => labels?.[key] === value) &&
    expressions.every(req => meets(req, labels))
  );
}

const QUERY_TERMS: Array<
  [RegExp, (m: RegExpMatchArray) => LabelSelectorRequirement]
> = [
  [
    /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/i,
    m => ({
      key: m[1],
      operator: m[2].toLowerCase() === 'in' ? 'In' : 'NotIn',
      values: m[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    }),
  ],
  [
    /^([^\s!=]+)\s*!=\s*(\S*)$/,
    m => ({ key: m[1], operator: 'NotIn', values: [m[2]] }),
  ],
  [
    /^([^\s!=]+)\s*==?\s*(\S*)$/,
    m => ({ key: m[1], operator: 'In', values: [m[2]] }),
  ],
  [/^!\s*(\S+)$/, m => ({ key: m[1], operator: 'DoesNotExist' })],
  [/^(\S+)$/, m => ({ key: m[1], operator: 'Exists' })],
];

/**
 * Parses a label selector query (`app=blog,tier in (web,api),!legacy`), the syntax of
 * Backstage's `backstage.io/kubernetes-label-selector` annotation.
 */
function parseLabelSelectorQuery(query: string): LabelSelectorRequirement[] {
  // Split on commas outside parentheses.
  const terms = (query.match(/[^,(]+(\([^)]*\))?[^,]*/g) ?? [])
    .map(t => t.trim())
    .filter(Boolean);
  return terms.map(term => {
    for (const [pattern, build] of QUERY_TERMS) {
      const m = term.match(pattern);
      if (m) return build(m);
    }
    throw new Error(`Invalid label selector '${query}'`);
  });
}

/**
 * A label selector query parsed once, as a test of labels; throws if the query is invalid.
 *
 * @public
 */
export function labelSelectorQueryMatcher(
  query: string,
): (labels: Labels) => boolean {
  const requirements = parseLabelSelectorQuery(query);
  return labels =>
    requirements.length > 0 && requirements.every(req => meets(req, labels));
}
