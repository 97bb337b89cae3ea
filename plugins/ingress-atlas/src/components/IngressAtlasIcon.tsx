import ExploreIcon from '@material-ui/icons/Explore';

export const IngressAtlasIcon = () => <ExploreIcon fontSize="inherit" />;
