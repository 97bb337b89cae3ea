import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { SEVERITY_LABELS, sortFindings } from '../../utils/findings';
import { NodeList, NodeListItem } from '../Section';
import { FindingTemplateButton } from './FindingsList';

/**
 * The findings about one node of a topology (those naming it among their objects), each with
 * the template that fixes it: what the details panel offers to do about the node.
 */
export function NodeFindings({
  nodeId,
  findings,
}: {
  nodeId: string;
  findings: Finding[];
}) {
  const about = sortFindings(
    findings.filter(f => f.objects.some(o => o.id === nodeId)),
  );
  if (about.length === 0) return null;
  return (
    <NodeList title="Findings" label="Findings about this node">
      {about.map(finding => (
        <NodeListItem key={finding.id}>
          <strong>{SEVERITY_LABELS[finding.severity]}:</strong>{' '}
          {finding.message}
          <FindingTemplateButton finding={finding} spaced />
        </NodeListItem>
      ))}
    </NodeList>
  );
}
