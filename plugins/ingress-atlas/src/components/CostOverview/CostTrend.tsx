import { useTheme } from '@material-ui/core/styles';
import { Box, Text } from '@backstage/ui';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  COST_HISTORY_DAYS,
  describeMonthlyCost,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  Area,
  AreaChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { CostHistoryResponse } from '../../api';
import { useIngressAtlas } from '../../hooks';
import { axisUnit } from './axes';
import { useSubtleText } from '../../utils/subtleText';
import { Figure, FigureList } from './FigureList';
import { formatCny } from '../../utils/format';

interface Point {
  date: string;
  /** Undefined on a day with no amount to draw: not recorded, or nothing of it priced. */
  amount?: number;
  /** Recorded with resources known to bill but not priced. */
  unpriced: boolean;
}

function nextDay(date: string) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * Every day from the first recorded one to today: a day with no record, or with nothing
 * priced, has no amount, so the line breaks there instead of dropping to 0.
 */
function pointsOf(history: CostHistoryResponse): Point[] {
  const recorded = new Map(history.days.map(day => [day.date, day.total]));
  const points: Point[] = [];
  for (
    let date = history.days[0].date;
    date <= history.to;
    date = nextDay(date)
  ) {
    const total = recorded.get(date);
    points.push({
      date,
      amount:
        total && !(total.unpriced && total.amount === 0)
          ? total.amount
          : undefined,
      unpriced: total?.unpriced ?? false,
    });
  }
  return points;
}

function Trend({ history }: { history: CostHistoryResponse }) {
  const theme = useTheme();
  const subtle = useSubtleText();
  const points = pointsOf(history);
  const first = history.days[0];
  const last = history.days[history.days.length - 1];
  const unpricedDays = history.days.filter(day => day.total.unpriced);
  return (
    <Box role="figure" aria-label="Ingress spend per day">
      <Box style={{ height: 260 }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          {/* Hidden from screen readers (the text below has the figures): no keyboard layer. */}
          <AreaChart
            data={points}
            margin={{ left: 16, right: 24, top: 8 }}
            accessibilityLayer={false}
          >
            <XAxis
              dataKey="date"
              stroke={theme.palette.text.secondary}
              tickFormatter={(date: string) => date.slice(5)}
              minTickGap={24}
              height={44}
              label={axisUnit(theme, 'Date (UTC)', 'horizontal')}
            />
            <YAxis
              stroke={theme.palette.text.secondary}
              tickFormatter={value => formatCny(Number(value))}
              width={72}
              label={axisUnit(theme, history.unit, 'vertical')}
            />
            <Tooltip
              formatter={(_value, _name, item) =>
                describeMonthlyCost((item.payload as Point).amount, {
                  unpriced: (item.payload as Point).unpriced,
                })
              }
              contentStyle={{
                background: theme.palette.background.paper,
                borderColor: theme.palette.divider,
                color: theme.palette.text.primary,
              }}
            />
            {unpricedDays.map(day => (
              <ReferenceLine
                key={day.date}
                x={day.date}
                className="cost-trend-unpriced"
                stroke={theme.palette.warning.main}
                strokeDasharray="4 3"
              />
            ))}
            <Area
              type="linear"
              dataKey="amount"
              name="Ingress spend"
              stroke={theme.palette.primary.main}
              fill={theme.palette.primary.light}
              fillOpacity={0.3}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </Box>
      <Text as="p" variant="body-medium">
        {first.date}:{' '}
        {describeMonthlyCost(first.total.amount, {
          unpriced: first.total.unpriced,
        })}
        ; {last.date}:{' '}
        {describeMonthlyCost(last.total.amount, {
          unpriced: last.total.unpriced,
        })}
        .
      </Text>
      {unpricedDays.length > 0 && (
        <>
          <Text as="p" variant="body-medium" className={subtle.root}>
            Dashed lines mark days with resources known to bill but not priced:
            their amount leaves those out, and a day with nothing priced has no
            point.
          </Text>
          <FigureList label="Days not fully priced">
            {unpricedDays.map(day => (
              <Figure key={day.date}>
                {day.date}:{' '}
                {describeMonthlyCost(day.total.amount, { unpriced: true })}
              </Figure>
            ))}
          </FigureList>
        </>
      )}
    </Box>
  );
}

/**
 * The monthly-equivalent cost of each day over the last 90 days (UTC), as the last model
 * published that day priced it.
 */
export function CostTrend() {
  const { value, loading, error } = useIngressAtlas(api =>
    api.getCostHistory({ days: COST_HISTORY_DAYS }),
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.days.length < 2) {
    return (
      <Text as="p" variant="body-medium">
        {value?.days.length
          ? `History starts ${value.days[0].date}: the trend shows from its second day.`
          : 'No cost recorded yet: history starts with the next refresh.'}{' '}
        The atlas records each day's cost (UTC) as it refreshes and keeps{' '}
        {COST_HISTORY_DAYS} days.
      </Text>
    );
  }
  return <Trend history={value} />;
}
