import { makeStyles } from '@material-ui/core';
import ExploreIcon from '@material-ui/icons/Explore';

const useStyles = makeStyles({
  icon: {
    fontSize: 30,
    color: '#7df3e1',
  },
});

export const LogoIcon = () => {
  const classes = useStyles();

  return <ExploreIcon className={classes.icon} />;
};
