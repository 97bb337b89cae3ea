import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Cost,
  ENTRY_TYPE_LABELS,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CostResponse, CostSummary } from '../../api';
import { useIngressAtlas } from '../../hooks';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { entryKeys, isUnpriced, resourceEntityName } from '../../utils/cost';
import { RecommendationList } from '../CostBreakdown';
import { CostChart } from './CostChart';
import { CostTrend } from './CostTrend';
import { SECTION_TITLE } from '../../utils/headings';

const TOP_SAVINGS = 10;

function Figure({ label, amount }: { label: string; amount: number }) {
  return (
    <InfoCard>
      <Typography variant="overline" color="textSecondary">
        {label}
      </Typography>
      <Typography variant="h4" component="p">
        {formatMonthlyCny(amount)}
      </Typography>
    </InfoCard>
  );
}

const STATE_NAMES: Record<Cost['state'], string> = {
  'in-use': 'In use',
  idle: 'Idle: serves nothing',
  orphaned: 'Orphaned: its Service is gone',
};

function IdleResources({ costs }: { costs: Cost[] }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const idle = costs
    .filter(c => c.state !== 'in-use')
    .sort((a, b) => b.monthlyCny - a.monthlyCny);
  if (idle.length === 0) {
    return (
      <Typography variant="body2">
        No idle or orphaned load balancer or address: nothing bills for nothing.
      </Typography>
    );
  }
  return (
    // On a phone the table scrolls sideways rather than wrap ids letter by letter.
    <Box overflow="auto">
      <Table
        size="small"
        aria-label="Idle and orphaned resources"
        style={{ minWidth: 480 }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Resource</TableCell>
            <TableCell>Provider</TableCell>
            <TableCell>State</TableCell>
            <TableCell align="right">Monthly (CNY/month)</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {idle.map(cost => (
            <TableRow key={cost.id}>
              <TableCell>
                {cost.resource ? (
                  <Link
                    to={entityRoute({
                      kind: 'resource',
                      namespace: 'default',
                      name: resourceEntityName(cost.resource),
                    })}
                  >
                    {cost.resource}
                  </Link>
                ) : (
                  cost.entry ?? cost.id
                )}
              </TableCell>
              <TableCell>{cost.provider}</TableCell>
              <TableCell>{STATE_NAMES[cost.state]}</TableCell>
              <TableCell align="right">
                {isUnpriced(cost) ? 'not priced' : formatCny(cost.monthlyCny)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

// The summary files costs with no entry under "unattached" (cluster) and their state (entry
// type): they are neither, and are listed on their own as idle and orphaned resources.
function withoutKeys(amounts: Record<string, number>, keys: string[]) {
  return Object.fromEntries(
    Object.entries(amounts).filter(([key]) => !keys.includes(key)),
  );
}

function unpricedKeys(
  costs: Cost[],
  keyOf: (cost: Cost) => string | undefined,
) {
  return new Set(
    costs
      .filter(c => c.unpriced.length > 0)
      .map(keyOf)
      .filter((key): key is string => key !== undefined),
  );
}

function CostDetails({
  cost,
  summary,
}: {
  cost: CostResponse;
  summary: CostSummary;
}) {
  const byEntry = new Map(
    cost.costs.filter(c => c.entry).map(c => [c.entry!, c.monthlyCny]),
  );
  const unattached = summary.byCluster.unattached ?? 0;
  const top = [...cost.recommendations]
    .sort((a, b) => b.savingMonthlyCny - a.savingMonthlyCny)
    .slice(0, TOP_SAVINGS);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <Figure label="Ingress spend" amount={summary.totalMonthlyCny} />
      </Grid>
      <Grid item xs={12} md={4}>
        <Figure label="Idle waste" amount={summary.idleWasteMonthlyCny} />
      </Grid>
      <Grid item xs={12} md={4}>
        <Figure
          label="Possible saving"
          amount={summary.potentialSavingMonthlyCny}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Cost over time"
          subheader="What ingress cost each day (UTC) of the last 90 days, at a monthly rate"
          titleTypographyProps={SECTION_TITLE}
        >
          <CostTrend />
        </InfoCard>
      </Grid>
      {[
        {
          by: 'cluster',
          amounts: withoutKeys(summary.byCluster, ['unattached']),
          unpriced: unpricedKeys(cost.costs, c => entryKeys(c.entry)?.cluster),
          note:
            unattached > 0
              ? `Not on any cluster (idle or orphaned, below): ${formatMonthlyCny(
                  unattached,
                )}`
              : undefined,
        },
        {
          by: 'provider',
          amounts: summary.byProvider,
          unpriced: unpricedKeys(cost.costs, c => c.provider),
        },
        {
          by: 'entry type',
          amounts: withoutKeys(summary.byEntryType, [
            'idle',
            'orphaned',
            'in-use',
          ]),
          unpriced: unpricedKeys(cost.costs, c => entryKeys(c.entry)?.type),
          labels: ENTRY_TYPE_LABELS,
        },
      ].map(({ by, amounts, labels, unpriced, note }) => (
        <Grid item xs={12} md={4} key={by}>
          <InfoCard title={`By ${by}`} titleTypographyProps={SECTION_TITLE}>
            <CostChart
              title={`Monthly cost by ${by}`}
              amounts={amounts}
              labels={labels}
              unpriced={unpriced}
            />
            {note && (
              <Typography variant="body2" color="textSecondary">
                {note}
              </Typography>
            )}
          </InfoCard>
        </Grid>
      ))}
      <Grid item xs={12} lg={7}>
        <InfoCard title="Top savings" titleTypographyProps={SECTION_TITLE}>
          {top.length === 0 ? (
            <Typography variant="body2">
              No recommendation: every entry is already the cheapest fit the
              atlas knows.
            </Typography>
          ) : (
            <RecommendationList
              recommendations={top}
              currentMonthlyCny={id => byEntry.get(id)}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard
          title="Idle and orphaned resources"
          titleTypographyProps={SECTION_TITLE}
        >
          <IdleResources costs={cost.costs} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/** What ingress costs across clusters and clouds, where money idles and what to save. */
export function CostOverview() {
  const { value, loading, error } = useIngressAtlas(api => api.getCost());
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.summary || value.costs.length === 0) {
    return (
      <Content>
        <EmptyState
          missing="data"
          title="No billable ingress resources found"
          description="Ingress Atlas prices load balancers, EIPs and VPC endpoints it finds through the cloud accounts configured under ingressAtlas.providers (for Tencent Cloud: credentials and regions). Configure one, then refresh."
        />
      </Content>
    );
  }
  return (
    <Content>
      <CostDetails cost={value} summary={value.summary} />
    </Content>
  );
}
