import { Fragment, useState } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import InfoIcon from '@material-ui/icons/Info';
import { Link, Progress } from '@backstage/core-components';
import {
  Alert as BuiAlert,
  Box as BuiBox,
  Link as BuiLink,
  SearchField,
  Select,
  Tag,
  TagGroup,
  Text,
} from '@backstage/ui';
import {
  Finding,
  ObjectRef,
  Severity,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatMonthlyCny } from '../../utils/format';
import {
  mostSevere,
  SEVERITY_LABELS,
  SEVERITY_NAMES,
  sortFindings,
} from '../../utils/findings';
import { findingTitle, useFindingDocsLink } from '../../utils/findingDocs';
import { TemplateButton } from '../TemplateButton';
import { NO_OWNER, useFindingOwners } from '../../hooks';
import { useSubtleText } from '../../utils/subtleText';

export function describeObject(object: ObjectRef) {
  const name = object.namespace
    ? `${object.namespace}/${object.name}`
    : object.name;
  return `${object.kind} ${name}${
    object.cluster ? ` in ${object.cluster}` : ''
  }`;
}

/** A finding's spend at stake, for the template preview. */
function findingCost(finding: Finding) {
  return finding.monthlyWasteCny === undefined
    ? undefined
    : { atStakeMonthlyCny: finding.monthlyWasteCny };
}

/**
 * The template that fixes a finding, with its parameters and cost; nothing for a finding
 * without one. `spaced` sets it under the text above it.
 */
export function FindingTemplateButton({
  finding,
  spaced = false,
}: {
  finding: Finding;
  spaced?: boolean;
}) {
  if (!finding.templateRef) return null;
  const button = (
    <TemplateButton
      templateRef={finding.templateRef}
      parameters={finding.parameters}
      cost={findingCost(finding)}
    />
  );
  return spaced ? <BuiBox mt="2">{button}</BuiBox> : button;
}

/** A finding's severity as Backstage UI's alert status. */
export const SEVERITY_STATUS = {
  error: 'danger',
  warning: 'warning',
  info: 'info',
} as const;

/** The most severe finding, as a banner; the count of the others (and all fixes) on the tab. */
export function FindingBanner({ findings }: { findings: Finding[] }) {
  const worst = mostSevere(findings);
  if (!worst) return null;
  const others = findings.length - 1;
  return (
    <BuiAlert
      status={SEVERITY_STATUS[worst.severity]}
      icon
      data-testid="finding-banner"
      title={worst.message}
      description={
        others > 0 &&
        `${others} more finding${others === 1 ? '' : 's'} on the Ingress tab.`
      }
    />
  );
}

/** Every finding with what it is about, how to fix it and the template that does it. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      {sortFindings(findings).map(finding => (
        <Alert key={finding.id} severity={finding.severity} variant="outlined">
          <AlertTitle>{finding.message}</AlertTitle>
          <Typography variant="body2">Fix: {finding.fix}</Typography>
          {finding.objects.length > 0 && (
            <Typography variant="body2" color="textSecondary">
              Objects: {finding.objects.map(describeObject).join(', ')}
            </Typography>
          )}
          <FindingAbout code={finding.code} />
          {/* Under the text, not as the alert's action: a long title has room on a phone. */}
          <FindingTemplateButton finding={finding} spaced />
          {finding.monthlyWasteCny !== undefined && (
            <Typography variant="body2" color="textSecondary">
              Spend at stake: {formatMonthlyCny(finding.monthlyWasteCny)}
            </Typography>
          )}
        </Alert>
      ))}
    </Box>
  );
}

/** The finding's code, linked to its section of the findings documentation when published. */
function FindingAbout({ code }: { code: string }) {
  const docsLink = useFindingDocsLink()(code);
  const title = findingTitle(code);
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {docsLink ? (
        <Link to={docsLink}>
          About {code}
          {title && `: ${title}`}
        </Link>
      ) : (
        <>
          {code}
          {title && `: ${title}`}
        </>
      )}
    </Typography>
  );
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const SEVERITY_ICONS = {
  error: ErrorIcon,
  warning: WarningIcon,
  info: InfoIcon,
};

const useStyles = makeStyles(theme => ({
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.main },
  info: { color: theme.palette.info.main },
  severityCell: { whiteSpace: 'nowrap', verticalAlign: 'top' },
  cell: { verticalAlign: 'top' },
  // Cluster names and amounts are read whole, never broken over lines.
  nowrap: { verticalAlign: 'top', whiteSpace: 'nowrap' },
  groupRow: { background: theme.palette.background.default },
  table: { minWidth: 640 },
  scroll: { overflowX: 'auto' },
}));

/** A coloured icon and the severity's name: colour is never the only sign. */
function SeverityLabel({ severity }: { severity: Severity }) {
  const classes = useStyles();
  const Icon = SEVERITY_ICONS[severity];
  return (
    <Box display="inline-flex" alignItems="center" style={{ gap: 4 }}>
      <Icon fontSize="small" className={classes[severity]} aria-hidden />
      <span>{SEVERITY_LABELS[severity]}</span>
    </Box>
  );
}

type GroupBy = 'none' | 'cluster' | 'owner' | 'code';

const GROUP_BY_OPTIONS: { value: GroupBy; label: string }[] = [
  { value: 'none', label: 'Nothing' },
  { value: 'cluster', label: 'Cluster' },
  { value: 'owner', label: 'Owner' },
  { value: 'code', label: 'Code' },
];

const clusterOf = (finding: Finding) =>
  finding.objects.find(o => o.cluster)?.cluster ?? 'Cloud account';

const GROUP_KEYS: Record<
  Exclude<GroupBy, 'none' | 'owner'>,
  (f: Finding) => string
> = {
  cluster: clusterOf,
  code: f => f.code,
};

/**
 * All findings: severity chips that count and filter, grouping by cluster or code, and per
 * finding what it is, where, how to fix it and the template that does.
 */
export function FindingsTable({
  findings,
  title = 'Findings',
}: {
  findings: Finding[];
  title?: string;
}) {
  const classes = useStyles();
  const docsLink = useFindingDocsLink();
  const [shown, setShown] = useState<Set<Severity>>(new Set(SEVERITIES));
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [query, setQuery] = useState('');
  const owners = useFindingOwners(findings, groupBy === 'owner');
  // On a phone five columns leave the finding itself a few letters wide: one block each.
  const narrow = useMediaQuery<Theme>(theme => theme.breakpoints.down('xs'));

  const counts = Object.fromEntries(
    SEVERITIES.map(s => [s, findings.filter(f => f.severity === s).length]),
  ) as Record<Severity, number>;
  const needle = query.trim().toLocaleLowerCase('en-US');
  const visible = sortFindings(findings).filter(
    f =>
      shown.has(f.severity) &&
      (!needle ||
        [f.message, f.code, f.fix, ...f.objects.map(describeObject)]
          .join(' ')
          .toLocaleLowerCase('en-US')
          .includes(needle)),
  );
  const groups = new Map<string, Finding[]>();
  for (const finding of visible) {
    let keys = [''];
    if (groupBy === 'owner') {
      // A finding about several teams' entities is listed under each team.
      keys = owners.value?.get(finding.id) ?? [NO_OWNER];
    } else if (groupBy !== 'none') {
      keys = [GROUP_KEYS[groupBy](finding)];
    }
    for (const key of keys)
      groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  if (groups.has(NO_OWNER)) {
    // Last, after the teams.
    const unowned = groups.get(NO_OWNER)!;
    groups.delete(NO_OWNER);
    groups.set(NO_OWNER, unowned);
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Typography variant="h5" component="h2">
        {title}
      </Typography>
      {findings.length === 0 ? (
        <Typography>No findings: nothing looks wrong or wasteful.</Typography>
      ) : (
        <>
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 16 }}
          >
            <TagGroup
              aria-label="Show severities"
              selectionMode="multiple"
              selectionBehavior="toggle"
              disallowEmptySelection={false}
              selectedKeys={shown}
              onSelectionChange={keys =>
                setShown(
                  keys === 'all'
                    ? new Set(SEVERITIES)
                    : new Set([...keys] as Severity[]),
                )
              }
            >
              {SEVERITIES.filter(s => counts[s] > 0).map(severity => {
                const Icon = SEVERITY_ICONS[severity];
                const [one, many] = SEVERITY_NAMES[severity];
                return (
                  <Tag
                    key={severity}
                    id={severity}
                    size="medium"
                    icon={<Icon className={classes[severity]} aria-hidden />}
                  >
                    {`${counts[severity]} ${
                      counts[severity] === 1 ? one : many
                    }`}
                  </Tag>
                );
              })}
            </TagGroup>
            <Select
              id="findings-group-by"
              label="Group by"
              options={GROUP_BY_OPTIONS}
              value={groupBy}
              onChange={key => setGroupBy(key as GroupBy)}
              style={{ minWidth: 140 }}
            />
            <SearchField
              id="findings-filter"
              label="Filter findings"
              size="small"
              value={query}
              onChange={setQuery}
            />
          </Box>
          {owners.loading && <Progress />}
          {owners.error && (
            <Alert severity="error">
              Could not tell the owners: {owners.error.message}
            </Alert>
          )}
          {narrow ? (
            <FindingStack
              groups={groups}
              groupBy={groupBy}
              docsLink={docsLink}
            />
          ) : (
            <div className={classes.scroll}>
              <Table size="small" aria-label={title} className={classes.table}>
                <TableHead>
                  <TableRow>
                    <TableCell>Severity</TableCell>
                    <TableCell>Finding</TableCell>
                    <TableCell>Cluster</TableCell>
                    <TableCell align="right" className={classes.nowrap}>
                      Spend at stake
                    </TableCell>
                    <TableCell>Action</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {[...groups.entries()].map(([group, members]) => (
                    <Fragment key={group || 'all'}>
                      {group && (
                        <TableRow className={classes.groupRow}>
                          <TableCell
                            component="th"
                            scope="rowgroup"
                            colSpan={5}
                          >
                            <strong>{groupTitle(groupBy, group)}</strong> (
                            {members.length})
                          </TableCell>
                        </TableRow>
                      )}
                      {members.map(finding => (
                        <FindingRow
                          key={finding.id}
                          finding={finding}
                          docsLink={docsLink(finding.code)}
                        />
                      ))}
                    </Fragment>
                  ))}
                  {visible.length === 0 && (
                    <TableRow>
                      <TableCell colSpan={5}>
                        No finding matches the severities and filter chosen.
                      </TableCell>
                    </TableRow>
                  )}
                </TableBody>
              </Table>
            </div>
          )}
        </>
      )}
    </Box>
  );
}

function groupTitle(groupBy: GroupBy, group: string) {
  const title = groupBy === 'code' ? findingTitle(group) : undefined;
  return title ? `${group}: ${title}` : group;
}

/** The catalogue's title (linked to its docs when published), the message and the fix. */
function FindingText({
  finding,
  docsLink,
}: {
  finding: Finding;
  docsLink?: string;
}) {
  const subtle = useSubtleText();
  const title = findingTitle(finding.code) ?? finding.code;
  return (
    <>
      <Text as="p" variant="body-medium" weight="bold">
        {docsLink ? (
          <BuiLink href={docsLink} weight="bold">
            {title}
          </BuiLink>
        ) : (
          title
        )}
      </Text>
      <Text as="p" variant="body-medium">
        {finding.message}
      </Text>
      <Text as="p" variant="body-medium" className={subtle.root}>
        Fix: {finding.fix}
      </Text>
    </>
  );
}

function FindingStack({
  groups,
  groupBy,
  docsLink,
}: {
  groups: Map<string, Finding[]>;
  groupBy: GroupBy;
  docsLink: (code: string) => string | undefined;
}) {
  const subtle = useSubtleText();
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {[...groups.entries()].map(([group, members]) => (
        <Box
          key={group || 'all'}
          display="flex"
          flexDirection="column"
          style={{ gap: 12 }}
        >
          {group && (
            <Typography variant="subtitle2" component="h3">
              {groupTitle(groupBy, group)} ({members.length})
            </Typography>
          )}
          {members.map(finding => (
            <Box key={finding.id} borderTop={1} borderColor="divider" pt={1}>
              <SeverityLabel severity={finding.severity} />
              <FindingText
                finding={finding}
                docsLink={docsLink(finding.code)}
              />
              <Typography
                variant="caption"
                component="div"
                className={subtle.root}
              >
                {clusterOf(finding)}
                {finding.monthlyWasteCny !== undefined &&
                  ` · ${formatMonthlyCny(finding.monthlyWasteCny)} at stake`}
              </Typography>
              <FindingTemplateButton finding={finding} spaced />
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}

function FindingRow({
  finding,
  docsLink,
}: {
  finding: Finding;
  docsLink?: string;
}) {
  const classes = useStyles();
  const subtle = useSubtleText();
  return (
    <TableRow>
      <TableCell className={classes.severityCell}>
        <SeverityLabel severity={finding.severity} />
      </TableCell>
      <TableCell className={classes.cell}>
        <FindingText finding={finding} docsLink={docsLink} />
        {finding.objects.length > 0 && (
          <Typography variant="caption" component="div" className={subtle.root}>
            Objects: {finding.objects.map(describeObject).join(', ')}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>{clusterOf(finding)}</TableCell>
      <TableCell className={classes.nowrap} align="right">
        {finding.monthlyWasteCny === undefined
          ? ''
          : formatMonthlyCny(finding.monthlyWasteCny)}
      </TableCell>
      <TableCell className={classes.cell}>
        <FindingTemplateButton finding={finding} />
      </TableCell>
    </TableRow>
  );
}
