import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import {
  Cost,
  describeEntry,
  describeMonthlyCost,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityExposure } from '../../api';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { RecommendationList } from './RecommendationList';
import { SECTION_TITLE } from '../../utils/headings';
import { isUnpriced, priceUnit, quantityUnit } from '../../utils/cost';

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

function CostTable({ cost, entry }: { cost: Cost; entry?: Entry }) {
  return (
    <Box mb={3}>
      <Typography variant="subtitle1" component="h3">
        {entry ? describeEntry(entry) : cost.resource ?? cost.id}:{' '}
        <strong>
          {describeMonthlyCost(cost.monthlyCny, {
            unpriced: isUnpriced(cost),
            trafficUnknown:
              cost.state === 'in-use' && cost.traffic === 'unknown',
          })}
        </strong>
        {cost.state !== 'in-use' && ` (${cost.state})`}
      </Typography>
      {/* On a phone the table scrolls sideways rather than wrap ids letter by letter. */}
      <Box overflow="auto">
        <Table
          size="small"
          aria-label={`Cost of ${cost.entry ?? cost.resource ?? cost.id}`}
          style={{ minWidth: 640 }}
        >
          <TableHead>
            <TableRow>
              <TableCell>Item</TableCell>
              <TableCell>Resource</TableCell>
              <TableCell align="right">Quantity</TableCell>
              <TableCell align="right">Unit price</TableCell>
              <TableCell align="right">Monthly (CNY/month)</TableCell>
              <TableCell>Price source</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {cost.parts.map(part => (
              <TableRow key={`${part.item}-${part.resource}`}>
                <TableCell>{part.item}</TableCell>
                <TableCell>{part.resource}</TableCell>
                <TableCell align="right">
                  {formatCny(part.quantity)} {quantityUnit(part)}
                </TableCell>
                <TableCell align="right">
                  {part.unitPrice} {priceUnit(part)}
                </TableCell>
                <TableCell align="right">{formatCny(part.amountCny)}</TableCell>
                <TableCell>
                  {part.source} ({part.date})
                </TableCell>
              </TableRow>
            ))}
            {cost.traffic !== 'unknown' && (
              <TableRow>
                <TableCell>traffic</TableCell>
                <TableCell>
                  {cost.traffic.measurement?.source ?? 'given volume'}
                </TableCell>
                <TableCell align="right">
                  {formatCny(cost.traffic.gbPerMonth)} GB
                </TableCell>
                <TableCell align="right">
                  {cost.traffic.unitPrice !== undefined
                    ? `${cost.traffic.unitPrice} CNY/GB`
                    : ''}
                </TableCell>
                <TableCell align="right">
                  {formatCny(cost.traffic.amountCny)}
                </TableCell>
                <TableCell>{cost.traffic.priceSource ?? ''}</TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="caption" color="textSecondary" component="div">
        {describeTraffic(cost.traffic)}
      </Typography>
      {cost.unpriced.length > 0 && (
        <Alert severity="info">
          Bills but has no price in the catalogue: {cost.unpriced.join(', ')}
        </Alert>
      )}
    </Box>
  );
}

/** What the entity's entries cost, item by item, and what the recommendations would save. */
export function CostBreakdown({ exposure }: { exposure: EntityExposure }) {
  const entries = new Map(exposure.entries.map(e => [e.id, e]));
  const costByEntry = new Map(
    exposure.costs.filter(c => c.entry).map(c => [c.entry!, c.monthlyCny]),
  );
  return (
    <InfoCard title="Cost" titleTypographyProps={SECTION_TITLE}>
      {exposure.costs.length === 0 ? (
        <Typography variant="body2">
          None of this entity's entries is a billable cloud resource the atlas
          knows of. Cloud accounts are configured under{' '}
          <code>ingressAtlas.providers</code>.
        </Typography>
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
        <>
          <Typography variant="h6" component="h3" gutterBottom>
            Recommendations
          </Typography>
          <RecommendationList
            recommendations={exposure.recommendations}
            headingLevel="h4"
            currentMonthlyCny={id => costByEntry.get(id)}
          />
        </>
      )}
    </InfoCard>
  );
}
