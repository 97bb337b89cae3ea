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
import {
  useSearch,
  useSearchContextCheck,
} from '@backstage/plugin-search-react';
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
    // Without minWidth a flex child is as wide as its content: wider than a phone.
    item: { display: 'flex', flex: 1, minWidth: 0 },
    flexContainer: { flexWrap: 'wrap', minWidth: 0 },
    // A long label (an owner entity ref) ends in an ellipsis rather than overflowing.
    chip: { maxWidth: '100%' },
    itemText: {
      width: '100%',
      overflowWrap: 'anywhere',
      marginBottom: '1rem',
    },
  },
  { name: 'IngressAtlasSearchResultListItem' },
);

/** The words searched for, when the result is shown on a search page. */
function useSearchTerm(): string | undefined {
  // Whether there is a search context does not change while the item is mounted.
  const inSearch = useSearchContextCheck();
  // eslint-disable-next-line react-hooks/rules-of-hooks
  return inSearch ? useSearch().term : undefined;
}

/**
 * The words to mark: the search term's, or those the engine marked. The engine's marked text
 * itself is not shown: Lunr inserts its tags at each matched position, and overlapping
 * matches (`www.shop.example.cn` found as `shop` and as `www.shop.example.cn`) leave tags
 * inside tags, which would show as raw markers or lose characters.
 */
function matchedWords(
  term: string | undefined,
  highlight: ResultHighlight | undefined,
): string[] {
  if (term?.trim()) return term.trim().split(/\s+/);
  if (!highlight) return [];
  const { preTag, postTag } = highlight;
  const words: string[] = [];
  for (const field of Object.values(highlight.fields)) {
    // After each opening tag, the text up to the next tag of either kind.
    for (const part of field.split(preTag).slice(1)) {
      words.push(part.split(postTag)[0]);
    }
  }
  return words;
}

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The plain text with each occurrence of the words marked; plain text when none occurs, so
 * what the engine matched never changes what the result says.
 */
function markWords(text: string, words: string[]): ReactNode {
  const usable = [...new Set(words.map(w => w.trim()))]
    .filter(w => w.length >= 2)
    .sort((a, b) => b.length - a.length);
  if (usable.length === 0) return text;
  const pattern = new RegExp(`(${usable.map(escapeRegExp).join('|')})`, 'gi');
  const parts = text.split(pattern);
  if (parts.length === 1) return text;
  return parts.map((part, index) =>
    // split() with one capture group puts the matches at the odd indexes.
    index % 2 === 1 ? <mark key={index}>{part}</mark> : part,
  );
}

/** A search result for an exposed host: how it is reached, linking to its owner's Ingress tab. */
export function IngressAtlasSearchResultListItem(
  props: IngressAtlasSearchResultListItemProps,
) {
  const classes = useStyles();
  const term = useSearchTerm();
  const { highlight, lineClamp = 5 } = props;
  const result = props.result as IngressAtlasSearchDocument | undefined;
  if (!result) return null;

  const words = matchedWords(term, highlight);

  return (
    <div className={classes.item} data-testid="ingress-atlas-search-result">
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <div className={classes.flexContainer}>
        <ListItemText
          className={classes.itemText}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              {markWords(result.title, words)}
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
              // Not textSecondary: on the search page's grey it falls short of a 4.5:1 contrast.
              variant="body2"
            >
              {markWords(result.text, words)}
            </Typography>
          }
        />
        <Box>
          {result.network && (
            <Chip
              className={classes.chip}
              label={NETWORK_REACH_LABELS[result.network]}
              size="small"
            />
          )}
          {result.clusters?.map(cluster => (
            <Chip
              className={classes.chip}
              key={cluster}
              label={`Cluster: ${cluster}`}
              size="small"
            />
          ))}
          {result.monthlyCostCny !== undefined && (
            <Chip
              className={classes.chip}
              label={formatMonthlyCny(result.monthlyCostCny)}
              size="small"
            />
          )}
          {result.entityRef && (
            <Chip
              className={classes.chip}
              label={`Owner entity: ${result.entityRef}`}
              title={result.entityRef}
              size="small"
            />
          )}
        </Box>
      </div>
    </div>
  );
}
