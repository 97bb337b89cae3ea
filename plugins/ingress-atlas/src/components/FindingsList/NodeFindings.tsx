import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { SEVERITY_LABELS, sortFindings } from '../../utils/findings';
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
    <Box mt={1}>
      <Typography variant="subtitle2" component="h4">
        Findings
      </Typography>
      <Box component="ul" pl={2} my={0} aria-label="Findings about this node">
        {about.map(finding => (
          <Typography component="li" variant="body2" key={finding.id}>
            <strong>{SEVERITY_LABELS[finding.severity]}:</strong>{' '}
            {finding.message}
            <FindingTemplateButton finding={finding} spaced />
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
