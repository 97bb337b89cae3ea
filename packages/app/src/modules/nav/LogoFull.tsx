import { makeStyles } from '@material-ui/core';
import ExploreIcon from '@material-ui/icons/Explore';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    color: '#7df3e1',
    whiteSpace: 'nowrap',
  },
  icon: {
    fontSize: 30,
  },
  title: {
    fontSize: 20,
    fontWeight: 700,
  },
});

/** The portal's `app.title` next to the atlas's compass. */
export const LogoFull = () => {
  const classes = useStyles();
  const title =
    useApi(configApiRef).getOptionalString('app.title') ?? 'Backstage';

  return (
    <span className={classes.root}>
      <ExploreIcon className={classes.icon} />
      <span className={classes.title}>{title}</span>
    </span>
  );
};
