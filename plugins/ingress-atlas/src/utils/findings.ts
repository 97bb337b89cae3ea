import { Finding, Severity } from '@ingress-atlas/plugin-ingress-atlas-common';

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
