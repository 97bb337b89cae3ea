import type { Theme } from '@material-ui/core/styles';

/**
 * The unit of a chart's axis, written along it in the theme's secondary text colour: on the
 * horizontal axis at its right end, on the vertical one turned up along its left side.
 */
export function axisUnit(
  theme: Theme,
  unit: string,
  axis: 'horizontal' | 'vertical',
) {
  const fill = theme.palette.text.secondary;
  return axis === 'horizontal'
    ? { value: unit, position: 'insideBottomRight' as const, offset: 0, fill }
    : {
        value: unit,
        angle: -90,
        position: 'insideLeft' as const,
        offset: -8,
        fill,
      };
}
