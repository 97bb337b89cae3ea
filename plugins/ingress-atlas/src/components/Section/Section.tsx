import { CSSProperties, ReactNode } from 'react';
import { Card, CardBody, CardHeader, Text } from '@backstage/ui';
import { useSubtleText } from '../../utils/subtleText';

/**
 * A part of a page: a card whose title is a section heading (H2 on the Atlas page and on an
 * entity's Ingress tab), with an optional line under it saying what the part shows.
 */
export function Section({
  title,
  subtitle,
  children,
  style,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
  style?: CSSProperties;
}) {
  const subtle = useSubtleText();
  return (
    <Card style={style}>
      <CardHeader>
        <Text as="h2" variant="title-small" weight="bold">
          {title}
        </Text>
        {subtitle && (
          <Text as="p" variant="body-medium" className={subtle.root}>
            {subtitle}
          </Text>
        )}
      </CardHeader>
      <CardBody>{children}</CardBody>
    </Card>
  );
}
