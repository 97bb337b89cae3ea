import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import { ResponseErrorPanel } from '@backstage/core-components';
import {
  Alert,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Flex,
  Link,
  Skeleton,
  Text,
} from '@backstage/ui';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  describeEntry,
  describeRoute,
  describeTarget,
  describeTls,
  describeWorkload,
  ExposurePath,
  NetworkReach,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityExposure } from '../../api';
import { useEntityExposure } from '../../hooks';
import { formatMonthlyCny } from '../../utils/format';
import { FindingBanner, FindingTemplateButton } from '../FindingsList';
import { TemplateButton } from '../TemplateButton';
import { sortFindings } from '../../utils/findings';
import { ClusterProblems } from '../ClusterStatus';
import { NoExposure } from './NoExposure';
import { useFocusRing } from '../../utils/focusRing';
import { useSubtleText } from '../../utils/subtleText';
import { isUnpriced } from '../../utils/cost';

/** How a host's network reads next to it. */
const NETWORK_LABEL: Record<NetworkReach, string> = {
  public: 'public',
  internal: 'internal',
  unknown: 'network unknown',
};

/** Certificates expiring within this many days are shown as a warning. */
const EXPIRY_WARNING_DAYS = 21;

function describeCostShare(costed: number, share: number, unpriced: number) {
  if (unpriced > 0 && share === 0) {
    return 'not priced (the entry bills, but the price catalogue has no price for it)';
  }
  if (costed === 0) return 'not priced (no billable entry found)';
  return (
    <>
      <strong>{formatMonthlyCny(share)}</strong>
      {unpriced > 0 && ' and items not priced'}
    </>
  );
}

const useStyles = makeStyles(theme => ({
  rows: {
    display: 'grid',
    gridTemplateColumns: 'minmax(110px, max-content) 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
  },
  term: {
    color: theme.palette.text.secondary,
    fontWeight: 500,
  },
  definition: {
    margin: 0,
    overflowWrap: 'anywhere',
  },
  card: { height: '100%' },
  hosts: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
    overflowWrap: 'anywhere',
  },
  host: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
  },
  topFix: { flexWrap: 'wrap' },
  warning: {
    color: theme.palette.warning.main,
  },
  error: {
    color: theme.palette.error.main,
  },
}));

/** How the entity is reached: hosts, entries, gateways, TLS and what it costs. */
export function EntityIngressAtlasCard() {
  const { entity } = useEntity();
  const entityLink = useRouteRef(entityRouteRef);
  const { value, loading, error } = useEntityExposure();
  const tabLink = `${entityLink(entityRouteParams(entity))}/ingress`;
  const focusRing = useFocusRing();
  const classes = useStyles();
  const subtle = useSubtleText();

  let content: ReactNode;
  if (loading) {
    content = (
      <Flex
        direction="column"
        gap="2"
        aria-label="Loading ingress"
        role="progressbar"
      >
        {[0, 1, 2, 3].map(i => (
          <Skeleton key={i} height={28} />
        ))}
      </Flex>
    );
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value || value.paths.length === 0) {
    content = (
      <>
        <ClusterProblems clusters={value?.clusters ?? []} />
        <NoExposure />
      </>
    );
  } else {
    content = <ExposureSummary exposure={value} />;
  }

  return (
    <Card
      className={`${focusRing.root} ${classes.card}`}
      data-testid="ingress-atlas-card"
    >
      <CardHeader>
        {/* Under the entity's name (H2), as the overview's other cards. */}
        <Text as="h3" variant="title-x-small" weight="bold">
          Ingress
        </Text>
        <Text as="p" variant="body-medium" className={subtle.root}>
          How this entity is reached, and what it costs
        </Text>
      </CardHeader>
      <CardBody>{content}</CardBody>
      {value && value.paths.length > 0 && (
        <CardFooter>
          <Flex justify="end">
            <Link href={tabLink} variant="body-medium">
              All paths, costs and fixes →
            </Link>
          </Flex>
        </CardFooter>
      )}
    </Card>
  );
}

/**
 * How each path of a host is reached, as entry → proxies → gateway → route → target →
 * workload; the exposure's lookups are built once for all hosts.
 */
function chainsOf(
  exposure: EntityExposure,
): (paths: ExposurePath[]) => string[] {
  const gatewaysById = new Map(exposure.gateways.map(g => [g.id, g]));
  const entriesById = new Map(exposure.entries.map(e => [e.id, e]));
  const routesById = new Map(exposure.routes.map(r => [r.id, r]));
  const chain = (p: ExposurePath) => {
    const entry = entriesById.get(p.entry);
    const route = p.route ? routesById.get(p.route) : undefined;
    const gateway = p.gateway ? gatewaysById.get(p.gateway) : undefined;
    return [
      // The entry's name; its address, ports and network are in the Entry row.
      entry && describeEntry(entry).split(' · ')[0],
      ...p.via.map(id => gatewaysById.get(id)?.name),
      gateway && `${gateway.namespace}/${gateway.name}`,
      route && describeRoute(route),
      describeTarget(p),
      p.workload && describeWorkload(p.workload),
    ]
      .filter(Boolean)
      .join(' → ');
  };
  return paths => [...new Set(paths.map(chain))];
}

/** The fix to offer first: the most severe finding with a template, else the largest saving. */
function TopFix({ exposure }: { exposure: EntityExposure }) {
  const finding = sortFindings(exposure.findings).find(f => f.templateRef);
  const recommendation = [...exposure.recommendations].sort(
    (a, b) => b.savingMonthlyCny - a.savingMonthlyCny,
  )[0];
  if (finding?.templateRef) {
    return <FindingTemplateButton finding={finding} />;
  }
  if (!recommendation) return null;
  return (
    <TemplateButton
      templateRef={recommendation.templateRef}
      parameters={recommendation.parameters}
      cost={{ atStakeMonthlyCny: recommendation.savingMonthlyCny }}
    />
  );
}

const NETWORK_ORDER: NetworkReach[] = ['public', 'internal', 'unknown'];

function ExposureSummary({ exposure }: { exposure: EntityExposure }) {
  const classes = useStyles();
  const subtle = useSubtleText();
  const entryIds = new Set(exposure.paths.map(p => p.entry));
  const entries = exposure.entries.filter(e => entryIds.has(e.id));
  const chains = chainsOf(exposure);
  // One line per host, public ones first: how it is reached, its TLS and its cost.
  const byHost = new Map<string, ExposurePath[]>();
  for (const path of [...exposure.paths].sort(
    (a, b) =>
      NETWORK_ORDER.indexOf(a.network) - NETWORK_ORDER.indexOf(b.network) ||
      a.host.localeCompare(b.host),
  )) {
    byHost.set(path.host, [...(byHost.get(path.host) ?? []), path]);
  }
  const costed = exposure.paths.filter(
    p => p.monthlyCostShareCny !== undefined,
  );
  const costShare = costed.reduce(
    (sum, p) => sum + (p.monthlyCostShareCny ?? 0),
    0,
  );
  // An entry that bills but has no price must not read as free.
  const unpricedEntries = new Set(
    exposure.costs
      .filter(c => c.entry && entryIds.has(c.entry) && isUnpriced(c))
      .map(c => c.entry!),
  );

  const expiryClass = (days?: number) => {
    if (days === undefined || days > EXPIRY_WARNING_DAYS) return undefined;
    return days < 0 ? classes.error : classes.warning;
  };
  const row = (term: string, definition: ReactNode) => (
    <>
      <dt>
        <Text as="span" variant="body-medium" className={classes.term}>
          {term}
        </Text>
      </dt>
      <dd className={classes.definition}>
        <Text as="div" variant="body-medium">
          {definition}
        </Text>
      </dd>
    </>
  );
  const hostCost = (paths: ExposurePath[]) => {
    const share = paths.reduce(
      (sum, p) => sum + (p.monthlyCostShareCny ?? 0),
      0,
    );
    const unpriced = paths.some(p => unpricedEntries.has(p.entry));
    if (unpriced && share === 0) return 'not priced';
    if (paths.every(p => p.monthlyCostShareCny === undefined))
      return 'not priced';
    return `${formatMonthlyCny(share)}${
      unpriced ? ' and items not priced' : ''
    }`;
  };

  return (
    <Flex direction="column" gap="4">
      <FindingBanner findings={exposure.findings} />
      <ClusterProblems clusters={exposure.clusters} />
      <ul className={classes.hosts} aria-label="Hosts">
        {[...byHost].map(([host, paths]) => {
          const tls = [
            ...new Map(paths.map(p => [describeTls(p.tls), p.tls])).entries(),
          ];
          return (
            <li key={host} className={classes.host}>
              <Flex align="center" gap="2" justify="between">
                <Flex align="center" gap="2">
                  <Text as="span" variant="body-medium" weight="bold">
                    {host}
                  </Text>
                  <Text as="span" variant="body-small" className={subtle.root}>
                    {NETWORK_LABEL[paths[0].network]}
                  </Text>
                </Flex>
                {byHost.size > 1 && (
                  <Text as="span" variant="body-small">
                    {hostCost(paths)}
                  </Text>
                )}
              </Flex>
              {chains(paths).map(chain => (
                <Text as="div" variant="body-small" key={chain}>
                  {chain}
                </Text>
              ))}
              {tls.map(([text, info]) => (
                <Text
                  as="div"
                  variant="body-small"
                  key={text}
                  className={expiryClass(info.daysToExpiry) ?? subtle.root}
                >
                  TLS: {text}
                </Text>
              ))}
            </li>
          );
        })}
      </ul>
      <dl className={classes.rows}>
        {row(
          entries.length === 1 ? 'Entry' : 'Entries',
          entries.map(entry => (
            <div key={entry.id}>
              {describeEntry(entry)} ({entry.network})
              <Text as="div" variant="body-small" className={subtle.root}>
                {[entry.networkReason, ...entry.notes].join('; ')}
              </Text>
            </div>
          )),
        )}
        {row(
          'Monthly cost share',
          describeCostShare(costed.length, costShare, unpricedEntries.size),
        )}
      </dl>
      <Flex align="center" gap="2" className={classes.topFix}>
        <TopFix exposure={exposure} />
      </Flex>
      {exposure.generatedAt === undefined && (
        <Alert
          status="info"
          icon
          title="The atlas has not finished its first refresh."
        />
      )}
    </Flex>
  );
}
