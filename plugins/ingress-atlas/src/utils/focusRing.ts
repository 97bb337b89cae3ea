import { makeStyles } from '@material-ui/core/styles';

/**
 * A focus ring a keyboard user can see on every link, button and field inside, in both
 * themes; Material UI's own focus shows as a faint background only.
 */
export const useFocusRing = makeStyles(
  theme => ({
    root: {
      '& a:focus-visible, & button:focus-visible, & [role="button"]:focus-visible, & [role="tab"]:focus-visible, & .Mui-focusVisible':
        {
          outline: `2px solid ${theme.palette.primary.main}`,
          outlineOffset: 2,
        },
    },
  }),
  { name: 'IngressAtlasFocusRing' },
);
