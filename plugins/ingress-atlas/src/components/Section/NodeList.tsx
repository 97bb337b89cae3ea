import { ReactNode } from 'react';
import { Box, Text } from '@backstage/ui';

const LIST = { margin: 0, paddingLeft: '1rem' };

/** A part of a topology node's details: an H4 title over a list, named by `label`. */
export function NodeList({
  title,
  label,
  children,
}: {
  title: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <Box mt="2">
      <Text as="h4" variant="body-medium" weight="bold">
        {title}
      </Text>
      <ul style={LIST} aria-label={label}>
        {children}
      </ul>
    </Box>
  );
}

/** One item of a {@link NodeList}. */
export function NodeListItem({ children }: { children: ReactNode }) {
  return (
    <li>
      <Text as="div" variant="body-medium">
        {children}
      </Text>
    </li>
  );
}
