import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import { ReactNode } from 'react';
import {
  NETWORK_REACH_LABELS,
  NetworkReach,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatMonthlyCny } from '../../utils/format';

/** The fields the `ingress-atlas` collator puts on a document, beside title, text and location. */
export interface IngressAtlasSearchDocument extends SearchDocument {
  host?: string;
  entityRef?: string;
  clusters?: string[];
  network?: NetworkReach;
  monthlyCostCny?: number;
}

export interface IngressAtlasSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
  lineClamp?: number;
}

const useStyles = makeStyles(
  {
    item: { display: 'flex' },
    flexContainer: { flexWrap: 'wrap' },
    itemText: { width: '100%', wordBreak: 'break-all', marginBottom: '1rem' },
  },
  { name: 'IngressAtlasSearchResultListItem' },
);

/** A search result for an exposed host: how it is reached, linking to its owner's Ingress tab. */
export function IngressAtlasSearchResultListItem(
  props: IngressAtlasSearchResultListItemProps,
) {
  const classes = useStyles();
  const { highlight, lineClamp = 5 } = props;
  const result = props.result as IngressAtlasSearchDocument | undefined;
  if (!result) return null;

  const highlighted = (field: 'title' | 'text', plain: string) =>
    highlight?.fields[field] ? (
      <HighlightedSearchResultText
        text={highlight.fields[field]}
        preTag={highlight.preTag}
        postTag={highlight.postTag}
      />
    ) : (
      plain
    );

  return (
    <div className={classes.item}>
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <div className={classes.flexContainer}>
        <ListItemText
          className={classes.itemText}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              {highlighted('title', result.title)}
            </Link>
          }
          secondary={
            <Typography
              component="span"
              style={{
                display: '-webkit-box',
                WebkitBoxOrient: 'vertical',
                WebkitLineClamp: lineClamp,
                overflow: 'hidden',
                whiteSpace: 'pre-line',
              }}
              color="textSecondary"
              variant="body2"
            >
              {highlighted('text', result.text)}
            </Typography>
          }
        />
        <Box>
          {result.network && (
            <Chip label={NETWORK_REACH_LABELS[result.network]} size="small" />
          )}
          {result.clusters?.map(cluster => (
            <Chip key={cluster} label={`Cluster: ${cluster}`} size="small" />
          ))}
          {result.monthlyCostCny !== undefined && (
            <Chip
              label={formatMonthlyCny(result.monthlyCostCny)}
              size="small"
            />
          )}
          {result.entityRef && (
            <Chip label={`Owner entity: ${result.entityRef}`} size="small" />
          )}
        </Box>
      </div>
    </div>
  );
}
