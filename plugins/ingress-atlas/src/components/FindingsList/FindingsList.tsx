import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { Table, TableColumn } from '@backstage/core-components';
import { Finding, ObjectRef } from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatMonthlyCny } from '../../utils/format';
import { mostSevere, sortFindings } from '../../utils/findings';
import { TemplateButton } from '../TemplateButton';

export function describeObject(object: ObjectRef) {
  const name = object.namespace
    ? `${object.namespace}/${object.name}`
    : object.name;
  return `${object.kind} ${name}${
    object.cluster ? ` in ${object.cluster}` : ''
  }`;
}

/** The most severe finding, as a banner; the count of the others (and all fixes) on the tab. */
export function FindingBanner({ findings }: { findings: Finding[] }) {
  const worst = mostSevere(findings);
  if (!worst) return null;
  const others = findings.length - 1;
  return (
    <Alert severity={worst.severity} data-testid="finding-banner">
      <AlertTitle>{worst.message}</AlertTitle>
      {others > 0 && (
        <Typography variant="body2">
          {others} more finding{others === 1 ? '' : 's'} on the Ingress tab.
        </Typography>
      )}
    </Alert>
  );
}

/** Every finding with what it is about, how to fix it and the template that does it. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      {sortFindings(findings).map(finding => (
        <Alert
          key={finding.id}
          severity={finding.severity}
          variant="outlined"
          action={
            finding.templateRef && (
              <TemplateButton
                templateRef={finding.templateRef}
                parameters={finding.parameters}
              />
            )
          }
        >
          <AlertTitle>{finding.message}</AlertTitle>
          <Typography variant="body2">Fix: {finding.fix}</Typography>
          {finding.objects.length > 0 && (
            <Typography variant="body2" color="textSecondary">
              About: {finding.objects.map(describeObject).join(', ')}
            </Typography>
          )}
          {finding.monthlyWasteCny !== undefined && (
            <Typography variant="body2" color="textSecondary">
              Spend at stake: {formatMonthlyCny(finding.monthlyWasteCny)}
            </Typography>
          )}
          <Typography variant="caption" color="textSecondary">
            {finding.code}
          </Typography>
        </Alert>
      ))}
    </Box>
  );
}

type FindingRow = Finding & { cluster: string; about: string; waste?: number };

const severityOrder = { error: 0, warning: 1, info: 2 };

const columns: TableColumn<FindingRow>[] = [
  {
    title: 'Severity',
    field: 'severity',
    customSort: (a, b) => severityOrder[a.severity] - severityOrder[b.severity],
    defaultSort: 'asc',
  },
  { title: 'Finding', field: 'message' },
  { title: 'Cluster', field: 'cluster' },
  { title: 'About', field: 'about' },
  { title: 'Fix', field: 'fix' },
  {
    title: 'Spend at stake',
    field: 'waste',
    type: 'numeric',
    render: row => (row.waste === undefined ? '' : formatMonthlyCny(row.waste)),
  },
  {
    title: 'Action',
    sorting: false,
    render: row =>
      row.templateRef ? (
        <TemplateButton
          templateRef={row.templateRef}
          parameters={row.parameters}
        />
      ) : null,
  },
  { title: 'Code', field: 'code', hidden: true },
];

/** All findings, sortable and filterable by severity, cluster and code. */
export function FindingsTable({
  findings,
  title = 'Findings',
}: {
  findings: Finding[];
  title?: string;
}) {
  const rows: FindingRow[] = sortFindings(findings).map(finding => ({
    ...finding,
    cluster: finding.objects.find(o => o.cluster)?.cluster ?? 'cloud account',
    about: finding.objects.map(describeObject).join(', '),
    waste: finding.monthlyWasteCny,
  }));
  return (
    <Table<FindingRow>
      title={title}
      columns={columns}
      data={rows}
      options={{
        search: true,
        paging: rows.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
      filters={[
        { column: 'Severity', type: 'multiple-select' },
        { column: 'Cluster', type: 'multiple-select' },
      ]}
      emptyContent={
        <Box p={2}>
          <Typography>No findings: nothing looks wrong or wasteful.</Typography>
        </Box>
      }
    />
  );
}
