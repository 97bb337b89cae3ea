import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';

/**
 * The figures a chart draws, as a list screen readers announce by `label` (the charts
 * themselves are hidden from them): no bullets, no indent.
 */
export function FigureList(props: { label: string; children: ReactNode }) {
  return (
    <Box
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={props.label}
    >
      {props.children}
    </Box>
  );
}
