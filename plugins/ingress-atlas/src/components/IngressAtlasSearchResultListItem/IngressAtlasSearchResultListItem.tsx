import { CSSProperties, ReactNode } from 'react';
import { Badge, Box, Flex, Link, Text } from '@backstage/ui';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import {
  useSearch,
  useSearchContextCheck,
} from '@backstage/plugin-search-react';
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

// Without minWidth a flex child is as wide as its content: wider than a phone.
const ITEM: CSSProperties = { flex: 1, minWidth: 0 };
const ICON: CSSProperties = {
  display: 'inline-flex',
  minWidth: 56,
  flexShrink: 0,
};
const TEXT: CSSProperties = {
  display: '-webkit-box',
  WebkitBoxOrient: 'vertical',
  overflow: 'hidden',
  whiteSpace: 'pre-line',
  overflowWrap: 'anywhere',
};
const TAGS: CSSProperties = { flexWrap: 'wrap' };
// A long label (an owner entity ref) ends in an ellipsis rather than overflowing.
const TAG: CSSProperties = { maxWidth: '100%' };
const TAG_TEXT: CSSProperties = {
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
};

function Tag({ children, title }: { children: string; title?: string }) {
  return (
    <Badge size="small" style={TAG} title={title}>
      <span style={TAG_TEXT}>{children}</span>
    </Badge>
  );
}

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
  const term = useSearchTerm();
  const { highlight, lineClamp = 5 } = props;
  const result = props.result as IngressAtlasSearchDocument | undefined;
  if (!result) return null;

  const words = matchedWords(term, highlight);

  return (
    <Flex data-testid="ingress-atlas-search-result" gap="0" style={ITEM}>
      {props.icon && <Box style={ICON}>{props.icon}</Box>}
      <Flex direction="column" gap="2" style={ITEM}>
        <Link
          href={result.location}
          noTrack
          variant="title-x-small"
          style={{ overflowWrap: 'anywhere' }}
        >
          {markWords(result.title, words)}
        </Link>
        {/* Not the secondary colour: on the search page's grey it falls short of 4.5:1. */}
        <Text
          as="p"
          variant="body-medium"
          style={{ ...TEXT, WebkitLineClamp: lineClamp, margin: 0 }}
        >
          {markWords(result.text, words)}
        </Text>
        <Flex gap="1" mt="2" style={TAGS}>
          {result.network && <Tag>{NETWORK_REACH_LABELS[result.network]}</Tag>}
          {result.clusters?.map(cluster => (
            <Tag key={cluster}>{`Cluster: ${cluster}`}</Tag>
          ))}
          {result.monthlyCostCny !== undefined && (
            <Tag>{formatMonthlyCny(result.monthlyCostCny)}</Tag>
          )}
          {result.entityRef && (
            <Tag title={result.entityRef}>
              {`Owner entity: ${result.entityRef}`}
            </Tag>
          )}
        </Flex>
      </Flex>
    </Flex>
  );
}
