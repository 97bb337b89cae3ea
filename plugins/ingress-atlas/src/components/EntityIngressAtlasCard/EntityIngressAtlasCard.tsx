import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
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
  Tag,
  TagGroup,
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
  describeGateway,
  describeRoute,
  describeTarget,
  describeTls,
  describeWorkload,
  NetworkReach,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityExposure } from '../../api';
import { useEntityExposure } from '../../hooks';
import { formatMonthlyCny } from '../../utils/format';
import { FindingBanner } from '../FindingsList';
import { ClusterProblems } from '../ClusterStatus';
import { NoExposure } from './NoExposure';
import { useFocusRing } from '../../utils/focusRing';
import { useSubtleText } from '../../utils/subtleText';
import { isUnpriced } from '../../utils/cost';

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

function ExposureSummary({ exposure }: { exposure: EntityExposure }) {
  const classes = useStyles();
  const subtle = useSubtleText();
  const hosts = (network: NetworkReach) => [
    ...new Set(
      exposure.paths.filter(p => p.network === network).map(p => p.host),
    ),
  ];
  const publicHosts = hosts('public');
  const internalHosts = hosts('internal');
  const unknownHosts = hosts('unknown');
  const gatewaysById = new Map(exposure.gateways.map(g => [g.id, g]));
  const entryIds = new Set(exposure.paths.map(p => p.entry));
  const entries = exposure.entries.filter(e => entryIds.has(e.id));
  const proxies = [...new Set(exposure.paths.flatMap(p => p.via))]
    .map(id => gatewaysById.get(id))
    .filter(Boolean);
  const gateways = [
    ...new Set(exposure.paths.map(p => p.gateway).filter(Boolean)),
  ]
    .map(id => gatewaysById.get(id!)!)
    .filter(Boolean);
  const routesById = new Map(exposure.routes.map(r => [r.id, r]));
  // Each host with what serves it inside the cluster, and its TLS: one line per distinct one.
  const manyHosts = new Set(exposure.paths.map(p => p.host)).size > 1;
  const forHost = (host: string, text: string) =>
    manyHosts ? `${host}: ${text}` : text;
  const backends = [
    ...new Set(
      exposure.paths.flatMap(p => {
        const route = p.route ? routesById.get(p.route) : undefined;
        const line = [
          route && describeRoute(route),
          describeTarget(p),
          p.workload && describeWorkload(p.workload),
        ]
          .filter(Boolean)
          .join(' → ');
        return line ? [forHost(p.host, line)] : [];
      }),
    ),
  ];
  const tls = [
    ...new Map(
      exposure.paths.map(p => [forHost(p.host, describeTls(p.tls)), p.tls]),
    ).entries(),
  ];
  const costed = exposure.paths.filter(
    p => p.monthlyCostShareCny !== undefined,
  );
  const costShare = costed.reduce(
    (sum, p) => sum + (p.monthlyCostShareCny ?? 0),
    0,
  );
  // An entry that bills but has no price must not read as free.
  const unpriced = exposure.costs.filter(
    c => c.entry && entryIds.has(c.entry) && isUnpriced(c),
  );

  const expiryClass = (days?: number) => {
    if (days === undefined || days > EXPIRY_WARNING_DAYS) return undefined;
    return days < 0 ? classes.error : classes.warning;
  };
  const row = (term: string, definition: ReactNode) => (
    <>
      <Typography component="dt" variant="body2" className={classes.term}>
        {term}
      </Typography>
      <Typography component="dd" variant="body2" className={classes.definition}>
        {definition}
      </Typography>
    </>
  );
  const hostTags = (label: string, list: string[]) => (
    <TagGroup aria-label={label}>
      {list.map(host => (
        <Tag key={host} id={host} size="small">
          {host}
        </Tag>
      ))}
    </TagGroup>
  );

  return (
    <Flex direction="column" gap="4">
      <FindingBanner findings={exposure.findings} />
      <ClusterProblems clusters={exposure.clusters} />
      <dl className={classes.rows}>
        {publicHosts.length > 0 &&
          row('Public hosts', hostTags('Public hosts', publicHosts))}
        {internalHosts.length > 0 &&
          row('Internal hosts', hostTags('Internal hosts', internalHosts))}
        {unknownHosts.length > 0 &&
          row(
            'Hosts on an unknown network',
            hostTags('Hosts on an unknown network', unknownHosts),
          )}
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
        {proxies.length > 0 &&
          row(
            'Proxy',
            proxies.map(p => <div key={p!.id}>{describeGateway(p!)}</div>),
          )}
        {gateways.length > 0 &&
          row(
            gateways.length === 1 ? 'Gateway' : 'Gateways',
            gateways.map(g => <div key={g.id}>{describeGateway(g)}</div>),
          )}
        {backends.length > 0 &&
          row(
            'Serves',
            backends.map(line => <div key={line}>{line}</div>),
          )}
        {row(
          'TLS',
          tls.map(([text, info]) => (
            <div key={text} className={expiryClass(info.daysToExpiry)}>
              {text}
            </div>
          )),
        )}
        {row(
          'Monthly cost share',
          describeCostShare(costed.length, costShare, unpriced.length),
        )}
      </dl>
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
