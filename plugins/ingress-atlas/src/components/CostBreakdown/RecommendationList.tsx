import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { Recommendation } from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatCny, formatMonthlyCny } from '../../utils/format';
import { TemplateButton } from '../TemplateButton';

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
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      {[...recommendations]
        .sort((a, b) => b.savingMonthlyCny - a.savingMonthlyCny)
        .map(recommendation => {
          const current = currentMonthlyCny?.(recommendation.entry);
          return (
            <Paper
              key={recommendation.id}
              variant="outlined"
              style={{ padding: 16 }}
              data-testid={`recommendation-${recommendation.id}`}
            >
              <Box
                display="flex"
                flexWrap="wrap"
                justifyContent="space-between"
                style={{ gap: 16 }}
              >
                <Box>
                  <Typography variant="subtitle1" component={headingLevel}>
                    {recommendation.title}
                  </Typography>
                  <Typography variant="body1">
                    Saves{' '}
                    <strong>
                      {formatMonthlyCny(recommendation.savingMonthlyCny)}
                    </strong>
                  </Typography>
                  {current !== undefined && (
                    <Typography variant="body2" color="textSecondary">
                      What if: {formatCny(current)} →{' '}
                      {formatMonthlyCny(
                        Math.max(0, current - recommendation.savingMonthlyCny),
                      )}{' '}
                      for this entry
                    </Typography>
                  )}
                  {recommendation.caveats.length > 0 && (
                    <Box component="ul" mt={1} mb={0} pl={2}>
                      {recommendation.caveats.map(caveat => (
                        <Typography component="li" variant="body2" key={caveat}>
                          {caveat}
                        </Typography>
                      ))}
                    </Box>
                  )}
                </Box>
                <Box maxWidth="100%">
                  <TemplateButton
                    templateRef={recommendation.templateRef}
                    parameters={recommendation.parameters}
                    cost={
                      current === undefined
                        ? { atStakeMonthlyCny: recommendation.savingMonthlyCny }
                        : {
                            beforeMonthlyCny: current,
                            afterMonthlyCny: Math.max(
                              0,
                              current - recommendation.savingMonthlyCny,
                            ),
                          }
                    }
                  />
                </Box>
              </Box>
            </Paper>
          );
        })}
    </Box>
  );
}
