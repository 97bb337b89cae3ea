import { ReactNode } from 'react';
import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Card, CardBody, Grid, Link, Text } from '@backstage/ui';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  cloudResourceRef,
  Cost,
  COST_SUMMARY_DESCRIPTIONS,
  ENTRY_TYPE_LABELS,
  Finding,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CostResponse, CostSummary } from '../../api';
import { useIngressAtlas } from '../../hooks';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { entryKeys, isUnpriced } from '../../utils/cost';
import { RecommendationList } from '../CostBreakdown';
import { CostChart } from './CostChart';
import { CostTrend } from './CostTrend';
import { useSubtleText } from '../../utils/subtleText';
import { findingTitle, useFindingDocsLink } from '../../utils/findingDocs';
import { Section } from '../Section';
import { AtlasColumn, AtlasTable } from '../AtlasTable';

const TOP_SAVINGS = 10;
/** A grid item shrinks to the phone's width; what is wider scrolls inside it. */
const NO_OVERFLOW = { minWidth: 0 };
/** Cards in a row of the grid are as tall as the tallest. */
const FULL_HEIGHT = { height: '100%' };

/** A total, and what it counts. */
function Figure(props: { label: string; amount: number; description: string }) {
  const subtle = useSubtleText();
  return (
    <Card style={FULL_HEIGHT}>
      <CardBody>
        <Text as="p" variant="body-small" className={subtle.root}>
          {props.label}
        </Text>
        <Text as="p" variant="title-large">
          {formatMonthlyCny(props.amount)}
        </Text>
        <Text as="p" variant="body-small" className={subtle.root}>
          {props.description}
        </Text>
      </CardBody>
    </Card>
  );
}

/** A part of the cost page, as tall as the others in its row. */
function CostSection(props: {
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  return <Section {...props} style={FULL_HEIGHT} />;
}

const STATE_NAMES: Record<Cost['state'], string> = {
  'in-use': 'In use',
  idle: 'Idle: serves nothing',
  orphaned: 'Orphaned: its Service is gone',
};

/**
 * What to do about an idle or orphaned resource: the fix of the finding about it, which its
 * analyzer words with what to check first, and the finding code's explanation.
 */
function WhatToDo({ finding }: { finding?: Finding }) {
  const docsLink = useFindingDocsLink();
  if (!finding) return null;
  const href = docsLink(finding.code);
  return (
    <>
      {finding.fix}
      {href && (
        <>
          {' '}
          <Link href={href} variant="body-medium">
            About {findingTitle(finding.code) ?? finding.code}
          </Link>
        </>
      )}
    </>
  );
}

function IdleResources({
  costs,
  findings,
}: {
  costs: Cost[];
  findings: Finding[];
}) {
  const entityRoute = useRouteRef(entityRouteRef);
  // The idle-resource findings name the cost they are about.
  const findingAbout = (cost: Cost) =>
    findings.find(f => f.objects.some(o => o.id === cost.id));
  const idle = costs
    .filter(c => c.state !== 'in-use')
    .sort((a, b) => b.monthlyCny - a.monthlyCny);
  if (idle.length === 0) {
    return (
      <Text as="p" variant="body-medium">
        No idle or orphaned load balancer or address: nothing bills for nothing.
      </Text>
    );
  }
  const columns: AtlasColumn<Cost>[] = [
    {
      id: 'resource',
      label: 'Resource',
      isRowHeader: true,
      nowrap: true,
      cell: cost =>
        cost.resource ? (
          <Link
            href={entityRoute(parseEntityRef(cloudResourceRef(cost.resource)))}
          >
            {cost.resource}
          </Link>
        ) : (
          cost.entry ?? cost.id
        ),
    },
    { id: 'provider', label: 'Provider', cell: cost => cost.provider },
    { id: 'state', label: 'State', cell: cost => STATE_NAMES[cost.state] },
    {
      id: 'monthly',
      label: 'Monthly (CNY/month)',
      numeric: true,
      cell: cost =>
        isUnpriced(cost) ? 'not priced' : formatCny(cost.monthlyCny),
    },
    {
      id: 'action',
      label: 'What to do',
      cell: cost => <WhatToDo finding={findingAbout(cost)} />,
    },
  ];
  // Ids are read whole: where they do not fit (a phone) the table scrolls sideways.
  return (
    <AtlasTable
      label="Idle and orphaned resources"
      columns={columns}
      rows={idle}
      minWidth={640}
    />
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
  findings,
}: {
  cost: CostResponse;
  summary: CostSummary;
  findings: Finding[];
}) {
  const subtle = useSubtleText();
  const byEntry = new Map(
    cost.costs.filter(c => c.entry).map(c => [c.entry!, c.monthlyCny]),
  );
  const unattached = summary.byCluster.unattached ?? 0;
  const top = [...cost.recommendations]
    .sort((a, b) => b.savingMonthlyCny - a.savingMonthlyCny)
    .slice(0, TOP_SAVINGS);
  return (
    <Grid.Root columns={{ initial: '1', md: '12' }} gap="4">
      <Grid.Item colSpan={{ initial: '1', md: '4' }} style={NO_OVERFLOW}>
        <Figure
          label="Ingress spend"
          amount={summary.totalMonthlyCny}
          description={COST_SUMMARY_DESCRIPTIONS.totalMonthlyCny}
        />
      </Grid.Item>
      <Grid.Item colSpan={{ initial: '1', md: '4' }} style={NO_OVERFLOW}>
        <Figure
          label="Idle waste"
          amount={summary.idleWasteMonthlyCny}
          description={COST_SUMMARY_DESCRIPTIONS.idleWasteMonthlyCny}
        />
      </Grid.Item>
      <Grid.Item colSpan={{ initial: '1', md: '4' }} style={NO_OVERFLOW}>
        <Figure
          label="Possible saving"
          amount={summary.potentialSavingMonthlyCny}
          description={COST_SUMMARY_DESCRIPTIONS.potentialSavingMonthlyCny}
        />
      </Grid.Item>
      <Grid.Item colSpan={{ initial: '1', md: '12' }} style={NO_OVERFLOW}>
        <CostSection
          title="Cost over time"
          subtitle="What ingress cost each day (UTC) of the last 90 days, at a monthly rate"
        >
          <CostTrend />
        </CostSection>
      </Grid.Item>
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
        <Grid.Item
          colSpan={{ initial: '1', md: '4' }}
          style={NO_OVERFLOW}
          key={by}
        >
          <CostSection title={`By ${by}`}>
            <CostChart
              title={`Monthly cost by ${by}`}
              amounts={amounts}
              labels={labels}
              unpriced={unpriced}
            />
            {note && (
              <Text as="p" variant="body-medium" className={subtle.root}>
                {note}
              </Text>
            )}
          </CostSection>
        </Grid.Item>
      ))}
      <Grid.Item colSpan={{ initial: '1', md: '12' }} style={NO_OVERFLOW}>
        <CostSection
          title="Top savings"
          subtitle="Changes to entries in use that would cost less"
        >
          {top.length === 0 ? (
            <Text as="p" variant="body-medium">
              No recommendation: every entry is already the cheapest fit the
              atlas knows.
            </Text>
          ) : (
            <RecommendationList
              recommendations={top}
              currentMonthlyCny={id => byEntry.get(id)}
            />
          )}
        </CostSection>
      </Grid.Item>
      <Grid.Item colSpan={{ initial: '1', md: '12' }} style={NO_OVERFLOW}>
        <CostSection
          title="Idle and orphaned resources"
          subtitle="Billed for serving nothing: what to release or delete"
        >
          <IdleResources costs={cost.costs} findings={findings} />
        </CostSection>
      </Grid.Item>
    </Grid.Root>
  );
}

/** What ingress costs across clusters and clouds, where money idles and what to save. */
export function CostOverview() {
  const { value, loading, error } = useIngressAtlas(api => api.getCost());
  // For what to do about each idle resource; the costs show without it.
  const findings = useIngressAtlas(api => api.getFindings());
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
      <CostDetails
        cost={value}
        summary={value.summary}
        findings={findings.value?.findings ?? []}
      />
    </Content>
  );
}
