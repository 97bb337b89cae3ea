import { useTheme } from '@material-ui/core/styles';
import { Box, Text } from '@backstage/ui';
import {
  Bar,
  BarChart,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { axisUnit } from './axes';
import { Figure, FigureList } from './FigureList';
import { useSubtleText } from '../../utils/subtleText';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { describeMonthlyCost } from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * Monthly amounts per key as horizontal bars, with the figures listed under the chart so
 * they can be read exactly (and by screen readers).
 */
export function CostChart({
  title,
  amounts,
  labels = {},
  unpriced = new Set(),
}: {
  title: string;
  amounts: Record<string, number>;
  labels?: Record<string, string>;
  /** Keys with resources known to bill that have no price: never shown as a plain 0. */
  unpriced?: Set<string>;
}) {
  const theme = useTheme();
  const subtle = useSubtleText();
  const data = Object.entries(amounts)
    .map(([key, amount]) => ({ key, name: labels[key] ?? key, amount }))
    .sort((a, b) => b.amount - a.amount);
  if (data.length === 0) {
    return (
      <Text as="p" variant="body-medium" className={subtle.root}>
        Nothing billed.
      </Text>
    );
  }
  const palette = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.info.main,
    theme.palette.success.main,
    theme.palette.warning.main,
  ];
  return (
    <Box>
      <Box style={{ height: Math.max(120, data.length * 36 + 40) }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          {/* The chart is hidden from screen readers (the list below has its figures), so it
              must not be a tab stop either: no keyboard layer. */}
          <BarChart
            data={data}
            layout="vertical"
            margin={{ left: 8, right: 24 }}
            accessibilityLayer={false}
          >
            <XAxis
              type="number"
              stroke={theme.palette.text.secondary}
              tickFormatter={value => formatCny(Number(value))}
              height={40}
              label={axisUnit(theme, 'CNY/month', 'horizontal')}
            />
            <YAxis
              type="category"
              dataKey="name"
              width={120}
              stroke={theme.palette.text.secondary}
            />
            <Tooltip
              formatter={value => formatMonthlyCny(Number(value))}
              contentStyle={{
                background: theme.palette.background.paper,
                borderColor: theme.palette.divider,
                color: theme.palette.text.primary,
              }}
              cursor={{ fill: theme.palette.action.hover }}
            />
            <Bar dataKey="amount" name={title} isAnimationActive={false}>
              {data.map((entry, i) => (
                <Cell key={entry.key} fill={palette[i % palette.length]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <FigureList label={title}>
        {data.map(entry => (
          <Figure key={entry.key}>
            {entry.name}:{' '}
            {describeMonthlyCost(entry.amount, {
              unpriced: unpriced.has(entry.key),
            })}
          </Figure>
        ))}
      </FigureList>
    </Box>
  );
}
