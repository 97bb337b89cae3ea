import { CSSProperties } from 'react';
import { Severity } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  describeFindings,
  SEVERITY_ICONS,
  SEVERITY_INTENT,
} from '../../utils/findings';

const BADGE: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 2,
  height: 18,
  padding: '0 5px 0 3px',
  boxSizing: 'border-box',
  borderRadius: 9,
  borderWidth: 1,
  borderStyle: 'solid',
  fontSize: 11,
  fontWeight: 700,
  lineHeight: '16px',
  flexShrink: 0,
};

const ICON = { fontSize: 14 };

/**
 * The findings about a node: its worst severity's icon on that intent's subdued tint of the
 * theme (Backstage UI's negative, warning and announcement), with their number. A pill with an icon, never a
 * node type's solid colour, so an orange warning does not read as an orange entry. Without a
 * count it is the legend's sample.
 */
export function FindingBadge({
  severity,
  count,
}: {
  severity: Severity;
  count?: number;
}) {
  const intent = SEVERITY_INTENT[severity];
  const Icon = SEVERITY_ICONS[severity];
  const description =
    count === undefined ? undefined : describeFindings(count, severity);
  return (
    <span
      data-testid="topology-finding-badge"
      data-severity={severity}
      role={description ? 'img' : undefined}
      aria-label={description}
      aria-hidden={description ? undefined : true}
      title={description}
      style={{
        ...BADGE,
        background: `var(--bui-${intent}-bg-subdued)`,
        color: `var(--bui-${intent}-fg-subdued)`,
        borderColor: `var(--bui-${intent}-border)`,
      }}
    >
      <Icon style={ICON} aria-hidden />
      {count}
    </span>
  );
}
