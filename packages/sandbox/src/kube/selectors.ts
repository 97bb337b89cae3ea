import { kubeErrors } from './status';

type Labels = Record<string, string>;

/** A parsed `labelSelector` query parameter. */
export type LabelPredicate = (labels: Labels) => boolean;

const REQUIREMENT =
  /^\s*(?:(!)\s*([\w./-]+)|([\w./-]+)\s*(?:(==|=|!=)\s*([\w.-]*)|\s(in|notin)\s*\(([^)]*)\))?)\s*$/;

export function parseLabelSelector(
  selector: string | undefined,
): LabelPredicate {
  if (!selector?.trim()) {
    return () => true;
  }
  const tests = splitRequirements(selector).map(requirement => {
    const match = REQUIREMENT.exec(requirement);
    if (!match) {
      throw kubeErrors.badRequest(
        `unable to parse requirement: found '${requirement.trim()}', expected: key, !key, key=value, key!=value, key in (...), key notin (...)`,
      );
    }
    const [, not, notKey, key, operator, value, setOperator, setValues] = match;
    if (not) {
      return (labels: Labels) => !(notKey in labels);
    }
    if (operator === '!=') {
      return (labels: Labels) => labels[key] !== value;
    }
    if (operator) {
      return (labels: Labels) => labels[key] === value;
    }
    if (setOperator) {
      const values = setValues.split(',').map(v => v.trim());
      return setOperator === 'in'
        ? (labels: Labels) => key in labels && values.includes(labels[key])
        : (labels: Labels) => !(key in labels) || !values.includes(labels[key]);
    }
    return (labels: Labels) => key in labels;
  });
  return labels => tests.every(test => test(labels));
}

/** Splits on commas that are not inside `in (a,b)` value sets. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** Fields the API server accepts in `fieldSelector` for every kind, plus a few kind-specific ones. */
const SELECTABLE_FIELDS: Record<string, string[]> = {
  '*': ['metadata.name', 'metadata.namespace'],
  Pod: ['spec.nodeName', 'spec.hostNetwork', 'status.phase', 'status.podIP'],
  Secret: ['type'],
  Service: ['spec.type'],
};

export interface FieldPredicate {
  test: (object: unknown) => boolean;
  /** True when only metadata.name/namespace are used, so the object need not be parsed. */
  metadataOnly: boolean;
}

export function parseFieldSelector(
  selector: string | undefined,
  kind: string,
): FieldPredicate {
  if (!selector?.trim()) {
    return { test: () => true, metadataOnly: true };
  }
  const allowed = [
    ...SELECTABLE_FIELDS['*'],
    ...(SELECTABLE_FIELDS[kind] ?? []),
  ];
  const tests = selector.split(',').map(requirement => {
    const match = /^\s*([\w.]+)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(requirement);
    if (!match) {
      throw kubeErrors.badRequest(
        `invalid selector: '${selector}'; can't understand '${requirement}'`,
      );
    }
    const [, field, operator, value] = match;
    if (!allowed.includes(field)) {
      throw kubeErrors.badRequest(`field label not supported: ${field}`);
    }
    const path = field.split('.');
    return {
      field,
      test: (object: unknown) => {
        const actual = path.reduce<any>((node, key) => node?.[key], object);
        const equal = String(actual ?? '') === value;
        return operator === '!=' ? !equal : equal;
      },
    };
  });
  return {
    test: object => tests.every(t => t.test(object)),
    metadataOnly: tests.every(t => t.field.startsWith('metadata.')),
  };
}
