import { Alert, Box, Flex, Text } from '@backstage/ui';
import {
  Cost,
  COST_SUMMARY_DESCRIPTIONS,
  describeEntry,
  describeMonthlyCost,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityExposure } from '../../api';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { RecommendationList } from './RecommendationList';
import { isUnpriced, priceUnit, quantityUnit } from '../../utils/cost';
import { useSubtleText } from '../../utils/subtleText';
import { AtlasColumn, AtlasTable } from '../AtlasTable';
import { Section } from '../Section';

/** What the traffic figure is and where it comes from; unmeasured is said so, never 0. */
function describeTraffic(traffic: Cost['traffic']) {
  if (traffic === 'unknown') return 'Traffic not measured: not included.';
  const window = traffic.measurement
    ? `, measured ${traffic.measurement.from.slice(
        0,
        10,
      )} to ${traffic.measurement.to.slice(0, 10)} and scaled to 30 days`
    : '';
  return `Traffic: ${formatCny(
    traffic.gbPerMonth,
  )} GB/month, ${formatMonthlyCny(traffic.amountCny)}${window}.`;
}

/** A line of a cost: a priced part, or the traffic when its volume is known. */
interface CostLine {
  id: string;
  item: string;
  resource: string;
  quantity: string;
  unitPrice: string;
  amountCny: number;
  source: string;
}

const COST_COLUMNS: AtlasColumn<CostLine>[] = [
  { id: 'item', label: 'Item', isRowHeader: true, cell: l => l.item },
  { id: 'resource', label: 'Resource', cell: l => l.resource },
  { id: 'quantity', label: 'Quantity', numeric: true, cell: l => l.quantity },
  {
    id: 'unitPrice',
    label: 'Unit price',
    numeric: true,
    cell: l => l.unitPrice,
  },
  {
    id: 'amount',
    label: 'Monthly (CNY/month)',
    numeric: true,
    cell: l => formatCny(l.amountCny),
  },
  { id: 'source', label: 'Price source', cell: l => l.source },
];

function costLines(cost: Cost): CostLine[] {
  const lines = cost.parts.map(part => ({
    id: `${part.item}-${part.resource}`,
    item: part.item,
    resource: part.resource,
    quantity: `${formatCny(part.quantity)} ${quantityUnit(part)}`,
    unitPrice: `${part.unitPrice} ${priceUnit(part)}`,
    amountCny: part.amountCny,
    source: `${part.source} (${part.date})`,
  }));
  if (cost.traffic === 'unknown') return lines;
  const traffic = cost.traffic;
  return [
    ...lines,
    {
      id: 'traffic',
      item: 'traffic',
      resource: traffic.measurement?.source ?? 'given volume',
      quantity: `${formatCny(traffic.gbPerMonth)} GB`,
      unitPrice:
        traffic.unitPrice !== undefined ? `${traffic.unitPrice} CNY/GB` : '',
      amountCny: traffic.amountCny,
      source: traffic.priceSource ?? '',
    },
  ];
}

function CostTable({ cost, entry }: { cost: Cost; entry?: Entry }) {
  const subtle = useSubtleText();
  return (
    <Flex direction="column" gap="2">
      <Text as="h3" variant="body-large">
        {entry ? describeEntry(entry) : cost.resource ?? cost.id}:{' '}
        <strong>
          {describeMonthlyCost(cost.monthlyCny, {
            unpriced: isUnpriced(cost),
            trafficUnknown:
              cost.state === 'in-use' && cost.traffic === 'unknown',
          })}
        </strong>
        {cost.state !== 'in-use' && ` (${cost.state})`}
      </Text>
      {/* On a phone the table scrolls sideways rather than wrap ids letter by letter. */}
      <AtlasTable
        label={`Cost of ${cost.entry ?? cost.resource ?? cost.id}`}
        columns={COST_COLUMNS}
        rows={costLines(cost)}
        minWidth={640}
      />
      <Text as="p" variant="body-small" className={subtle.root}>
        {describeTraffic(cost.traffic)}
      </Text>
      {cost.unpriced.length > 0 && (
        <Alert
          status="info"
          icon
          title={`Bills but has no price in the catalogue: ${cost.unpriced.join(
            ', ',
          )}`}
        />
      )}
    </Flex>
  );
}

/** What the entity's entries cost, item by item, and what the recommendations would save. */
export function CostBreakdown({ exposure }: { exposure: EntityExposure }) {
  const subtle = useSubtleText();
  const entries = new Map(exposure.entries.map(e => [e.id, e]));
  const costByEntry = new Map(
    exposure.costs.filter(c => c.entry).map(c => [c.entry!, c.monthlyCny]),
  );
  return (
    <Section title="Cost">
      <Flex direction="column" gap="5">
        {exposure.costs.length === 0 ? (
          <Text as="p" variant="body-medium">
            None of this entity's entries is a billable cloud resource the atlas
            knows of. Cloud accounts are configured under{' '}
            <code>ingressAtlas.providers</code>.
          </Text>
        ) : (
          exposure.costs.map(cost => (
            <CostTable
              key={cost.id}
              cost={cost}
              entry={cost.entry ? entries.get(cost.entry) : undefined}
            />
          ))
        )}
        {exposure.recommendations.length > 0 && (
          <Box>
            <Text as="h3" variant="title-x-small" weight="bold">
              Recommendations
            </Text>
            <Text as="p" variant="body-medium" className={subtle.root}>
              {COST_SUMMARY_DESCRIPTIONS.potentialSavingMonthlyCny}
            </Text>
            <Box mt="2">
              <RecommendationList
                recommendations={exposure.recommendations}
                headingLevel="h4"
                currentMonthlyCny={id => costByEntry.get(id)}
              />
            </Box>
          </Box>
        )}
      </Flex>
    </Section>
  );
}
