import { makeStyles } from '@material-ui/core/styles';

/**
 * Muted text, on the page, a card or a card in a card. Backstage UI's secondary text colour
 * falls short of 4.5:1 on its card in the portal's dark theme, and Material UI's secondary
 * (4.47:1 on the page's grey) on the light grey of a card in a card. Backstage's textSubtle
 * looks the same and passes on all of them (#6E6E6E in the light theme, #CCC in the dark).
 */
export const useSubtleText = makeStyles(
  theme => ({
    root: { color: theme.palette.textSubtle ?? theme.palette.text.secondary },
  }),
  { name: 'IngressAtlasSubtleText' },
);
