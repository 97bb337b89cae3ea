import { Box, Card, CardBody, Flex, Text } from '@backstage/ui';
import { Recommendation } from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { useSubtleText } from '../../utils/subtleText';
import { TemplateButton } from '../TemplateButton';

const CAVEATS = { margin: 'var(--bui-space-2) 0 0', paddingLeft: '1rem' };

/**
 * Recommendations with what they save, what the entry would cost afterwards, their caveats
 * and the template that carries them out.
 */
export function RecommendationList({
  recommendations,
  currentMonthlyCny,
  headingLevel = 'h3',
}: {
  /** One level below the section the list is in. */
  headingLevel?: 'h3' | 'h4';
  recommendations: Recommendation[];
  /** What each entry costs today, for the what-if figure. */
  currentMonthlyCny?: (entryId: string) => number | undefined;
}) {
  const subtle = useSubtleText();
  return (
    <Flex direction="column" gap="3">
      {[...recommendations]
        .sort((a, b) => b.savingMonthlyCny - a.savingMonthlyCny)
        .map(recommendation => {
          const current = currentMonthlyCny?.(recommendation.entry);
          const after =
            current === undefined
              ? undefined
              : Math.max(0, current - recommendation.savingMonthlyCny);
          return (
            <Card
              key={recommendation.id}
              data-testid={`recommendation-${recommendation.id}`}
            >
              <CardBody>
                <Flex justify="between" gap="4" style={{ flexWrap: 'wrap' }}>
                  <Box>
                    <Text as={headingLevel} variant="body-large" weight="bold">
                      {recommendation.title}
                    </Text>
                    <Text as="p" variant="body-medium">
                      Saves{' '}
                      <strong>
                        {formatMonthlyCny(recommendation.savingMonthlyCny)}
                      </strong>
                    </Text>
                    {current !== undefined && after !== undefined && (
                      <Text
                        as="p"
                        variant="body-medium"
                        className={subtle.root}
                      >
                        What if: {formatCny(current)} →{' '}
                        {formatMonthlyCny(after)} for this entry
                      </Text>
                    )}
                    {recommendation.caveats.length > 0 && (
                      <ul style={CAVEATS}>
                        {recommendation.caveats.map(caveat => (
                          <li key={caveat}>
                            <Text variant="body-medium">{caveat}</Text>
                          </li>
                        ))}
                      </ul>
                    )}
                  </Box>
                  <Box maxWidth="100%">
                    <TemplateButton
                      templateRef={recommendation.templateRef}
                      parameters={recommendation.parameters}
                      cost={
                        current === undefined || after === undefined
                          ? {
                              atStakeMonthlyCny:
                                recommendation.savingMonthlyCny,
                            }
                          : {
                              beforeMonthlyCny: current,
                              afterMonthlyCny: after,
                            }
                      }
                    />
                  </Box>
                </Flex>
              </CardBody>
            </Card>
          );
        })}
    </Flex>
  );
}
