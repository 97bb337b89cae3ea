import { makeStyles } from '@material-ui/core/styles';

/**
 * Muted text on a card. Backstage UI's secondary text colour falls short of 4.5:1 on its card
 * in the portal's dark theme; Material UI's secondary text colour passes on the card in both.
 */
export const useSubtleText = makeStyles(
  theme => ({ root: { color: theme.palette.text.secondary } }),
  { name: 'IngressAtlasSubtleText' },
);
