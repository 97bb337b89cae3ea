import { Fragment, ReactNode, useState } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import {
  Alert,
  Box,
  Flex,
  Link,
  SearchField,
  Select,
  Tag,
  TagGroup,
  Text,
  useBreakpoint,
} from '@backstage/ui';
import {
  Finding,
  ObjectRef,
  Severity,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatMonthlyCny } from '../../utils/format';
import {
  mostSevere,
  SEVERITY_ICONS,
  SEVERITY_LABELS,
  SEVERITY_NAMES,
  SEVERITY_STATUS,
  sortFindings,
} from '../../utils/findings';
import { findingTitle, useFindingDocsLink } from '../../utils/findingDocs';
import { TemplateButton } from '../TemplateButton';
import { NO_OWNER, useFindingOwners, useObjectLinks } from '../../hooks';
import { useSubtleText } from '../../utils/subtleText';
import { AtlasColumn, AtlasTable } from '../AtlasTable';

export function describeObject(object: ObjectRef) {
  const name = object.namespace
    ? `${object.namespace}/${object.name}`
    : object.name;
  return `${object.kind} ${name}${
    object.cluster ? ` in ${object.cluster}` : ''
  }`;
}

/** Where an object is shown, if anywhere (see `useObjectLinks`). */
type ObjectLink = (object: ObjectRef) => string | undefined;

/** The objects a finding names, each linked to its catalog Resource or topology node. */
function FindingObjects({
  objects,
  objectLink,
}: {
  objects: ObjectRef[];
  objectLink: ObjectLink;
}) {
  return (
    <>
      Objects:{' '}
      {objects.map((object, index) => {
        const href = objectLink(object);
        const text = describeObject(object);
        return (
          <Fragment key={`${index}-${text}`}>
            {index > 0 && ', '}
            {href ? (
              <Link href={href} variant="body-small" color="primary">
                {text}
              </Link>
            ) : (
              text
            )}
          </Fragment>
        );
      })}
    </>
  );
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
  return spaced ? <Box mt="2">{button}</Box> : button;
}

/** The most severe finding, as a banner; the count of the others (and all fixes) on the tab. */
export function FindingBanner({ findings }: { findings: Finding[] }) {
  const worst = mostSevere(findings);
  if (!worst) return null;
  const others = findings.length - 1;
  return (
    <Alert
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

/** Lines of an alert's description, in the alert's own colour on its tinted background. */
const TIGHT = { margin: 0 };

/** Every finding with what it is about, how to fix it and the template that does it. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  const objectLink = useObjectLinks(findings);
  return (
    <Flex direction="column" gap="3">
      {sortFindings(findings).map(finding => (
        <Alert
          key={finding.id}
          role="alert"
          status={SEVERITY_STATUS[finding.severity]}
          icon
          title={finding.message}
          description={
            <>
              <p style={TIGHT}>Fix: {finding.fix}</p>
              {finding.objects.length > 0 && (
                <p style={TIGHT}>
                  <FindingObjects
                    objects={finding.objects}
                    objectLink={objectLink}
                  />
                </p>
              )}
              <FindingAbout code={finding.code} />
              {/* Under the text, not beside it: a long title has room on a phone. */}
              <FindingTemplateButton finding={finding} spaced />
              {finding.monthlyWasteCny !== undefined && (
                <p style={TIGHT}>
                  Spend at stake: {formatMonthlyCny(finding.monthlyWasteCny)}
                </p>
              )}
            </>
          }
        />
      ))}
    </Flex>
  );
}

/** The finding's code, linked to its section of the findings documentation when published. */
function FindingAbout({ code }: { code: string }) {
  const docsLink = useFindingDocsLink()(code);
  const title = findingTitle(code);
  const text = `${docsLink ? 'About ' : ''}${code}${title ? `: ${title}` : ''}`;
  return (
    <p style={TIGHT}>
      {docsLink ? (
        <Link href={docsLink} variant="body-small" color="primary">
          {text}
        </Link>
      ) : (
        text
      )}
    </p>
  );
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

const useStyles = makeStyles(theme => ({
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.main },
  info: { color: theme.palette.info.main },
}));

/** A coloured icon and the severity's name: colour is never the only sign. */
function SeverityLabel({ severity }: { severity: Severity }) {
  const classes = useStyles();
  const Icon = SEVERITY_ICONS[severity];
  return (
    <Flex align="center" gap="1" style={{ display: 'inline-flex' }}>
      <Icon fontSize="small" className={classes[severity]} aria-hidden />
      <span>{SEVERITY_LABELS[severity]}</span>
    </Flex>
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

interface FindingItem {
  id: string;
  finding: Finding;
  docsLink?: string;
  objectLink: ObjectLink;
}

const FINDING_COLUMNS: AtlasColumn<FindingItem>[] = [
  {
    id: 'severity',
    label: 'Severity',
    nowrap: true,
    // The same widths in every group's table, so that their columns line up.
    width: 120,
    cell: ({ finding }) => <SeverityLabel severity={finding.severity} />,
  },
  {
    id: 'finding',
    label: 'Finding',
    // A row is named by its finding: its title, message and fix.
    isRowHeader: true,
    cell: ({ finding, docsLink, objectLink }) => (
      <>
        <FindingText finding={finding} docsLink={docsLink} />
        {finding.objects.length > 0 && (
          <SubtleLine>
            <FindingObjects objects={finding.objects} objectLink={objectLink} />
          </SubtleLine>
        )}
      </>
    ),
  },
  {
    id: 'cluster',
    label: 'Cluster',
    nowrap: true,
    width: 160,
    cell: ({ finding }) => clusterOf(finding),
  },
  {
    id: 'spend',
    label: 'Spend at stake',
    numeric: true,
    width: 150,
    cell: ({ finding }) =>
      finding.monthlyWasteCny === undefined
        ? ''
        : formatMonthlyCny(finding.monthlyWasteCny),
  },
  {
    id: 'action',
    label: 'Action',
    width: 220,
    cell: ({ finding }) => <FindingTemplateButton finding={finding} />,
  },
];

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
  const objectLink = useObjectLinks(findings);
  // On a phone five columns leave the finding itself a few letters wide: one block each.
  const narrow = useBreakpoint().down('xs');

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
    <Flex direction="column" gap="4">
      <Text as="h2" variant="title-small" weight="bold">
        {title}
      </Text>
      {findings.length === 0 ? (
        <Text as="p" variant="body-medium">
          No findings: nothing looks wrong or wasteful.
        </Text>
      ) : (
        <>
          <Flex align="center" gap="4" style={{ flexWrap: 'wrap' }}>
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
          </Flex>
          {owners.loading && <Progress />}
          {owners.error && (
            <Alert
              role="alert"
              status="danger"
              icon
              title={`Could not tell the owners: ${owners.error.message}`}
            />
          )}
          {visible.length === 0 && (
            <Text as="p" variant="body-medium">
              No finding matches the severities and filter chosen.
            </Text>
          )}
          {[...groups.entries()].map(([group, members]) => (
            <Flex key={group || 'all'} direction="column" gap="3">
              {/* A heading per group, and its findings as a table of their own. */}
              {group && (
                <Text as="h3" variant="body-large" weight="bold">
                  {groupTitle(groupBy, group)} ({members.length})
                </Text>
              )}
              {narrow ? (
                <FindingStack
                  findings={members}
                  docsLink={docsLink}
                  objectLink={objectLink}
                />
              ) : (
                <AtlasTable
                  label={group ? groupTitle(groupBy, group) : title}
                  columns={FINDING_COLUMNS}
                  rows={members.map(finding => ({
                    id: finding.id,
                    finding,
                    docsLink: docsLink(finding.code),
                    objectLink,
                  }))}
                  minWidth={640}
                />
              )}
            </Flex>
          ))}
        </>
      )}
    </Flex>
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
          <Link href={docsLink} weight="bold">
            {title}
          </Link>
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

/** On a phone: a block per finding, its severity, text, cluster and fix one under another. */
function FindingStack({
  findings,
  docsLink,
  objectLink,
}: {
  findings: Finding[];
  docsLink: (code: string) => string | undefined;
  objectLink: ObjectLink;
}) {
  return (
    <Flex direction="column" gap="3">
      {findings.map(finding => (
        <Box
          key={finding.id}
          pt="2"
          style={{ borderTop: '1px solid var(--bui-border-2)' }}
        >
          <SeverityLabel severity={finding.severity} />
          <FindingText finding={finding} docsLink={docsLink(finding.code)} />
          {finding.objects.length > 0 && (
            <SubtleLine>
              <FindingObjects
                objects={finding.objects}
                objectLink={objectLink}
              />
            </SubtleLine>
          )}
          <SubtleLine>
            {clusterOf(finding)}
            {finding.monthlyWasteCny !== undefined &&
              ` · ${formatMonthlyCny(finding.monthlyWasteCny)} at stake`}
          </SubtleLine>
          <FindingTemplateButton finding={finding} spaced />
        </Box>
      ))}
    </Flex>
  );
}

function SubtleLine({ children }: { children: ReactNode }) {
  const subtle = useSubtleText();
  return (
    <Text as="p" variant="body-small" className={subtle.root}>
      {children}
    </Text>
  );
}
