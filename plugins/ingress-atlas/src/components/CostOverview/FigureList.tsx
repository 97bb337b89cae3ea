import { ReactNode } from 'react';
import { Box, Text } from '@backstage/ui';

const LIST = { listStyle: 'none', padding: 0, margin: 0 };

/**
 * The figures a chart draws, as a list screen readers announce by `label` (the charts
 * themselves are hidden from them): no bullets, no indent.
 */
export function FigureList(props: { label: string; children: ReactNode }) {
  return (
    <Box as="ul" style={LIST} aria-label={props.label}>
      {props.children}
    </Box>
  );
}

/** One figure of a {@link FigureList}. */
export function Figure({ children }: { children: ReactNode }) {
  return (
    <li>
      <Text variant="body-medium">{children}</Text>
    </li>
  );
}
