import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import InfoIcon from '@material-ui/icons/Info';
import { Finding, Severity } from '@ingress-atlas/plugin-ingress-atlas-common';

/** How a severity is named to a person, one and many: `info` findings are notes. */
export const SEVERITY_NAMES: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['note', 'notes'],
};

/** A severity's name as a label: `Error`, `Warning`, `Note`. */
export const SEVERITY_LABELS = Object.fromEntries(
  Object.entries(SEVERITY_NAMES).map(([severity, [one]]) => [
    severity,
    one.charAt(0).toLocaleUpperCase('en-US') + one.slice(1),
  ]),
) as Record<Severity, string>;

/** A severity as a status of Backstage UI's alerts. */
export const SEVERITY_STATUS = {
  error: 'danger',
  warning: 'warning',
  info: 'info',
} as const;

/**
 * A severity as an intent of Backstage UI's palette: its colour tokens are
 * `--bui-fg-<intent>`, `--bui-<intent>-bg-subdued`, `--bui-<intent>-fg-subdued` and
 * `--bui-<intent>-border`.
 */
export const SEVERITY_INTENT = {
  error: 'negative',
  warning: 'warning',
  info: 'announcement',
} as const;

/** Each severity's icon, beside its colour: colour is never the only sign. */
export const SEVERITY_ICONS = {
  error: ErrorIcon,
  warning: WarningIcon,
  info: InfoIcon,
};

/** The findings about one thing, as read out: `1 finding, an error`, `2 findings, the worst a note`. */
export function describeFindings(count: number, worst: Severity): string {
  const [one] = SEVERITY_NAMES[worst];
  const named = `${one === 'error' ? 'an' : 'a'} ${one}`;
  return count === 1
    ? `1 finding, ${named}`
    : `${count} findings, the worst ${named}`;
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** Most severe first; within a severity, the costliest first. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] ||
      (b.monthlyWasteCny ?? 0) - (a.monthlyWasteCny ?? 0),
  );
}

export function mostSevere(findings: Finding[]): Finding | undefined {
  return sortFindings(findings)[0];
}
