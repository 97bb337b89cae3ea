import { ReactNode } from 'react';

/**
 * The catalogue's text as written in `docs/findings.md`, with its backtick-quoted names (an API
 * action, a field) set as code, as the page shows them.
 */
export function inlineCode(text: string): ReactNode {
  const parts = text.split(/`([^`]+)`/);
  if (parts.length === 1) return text;
  // split() with one capture group puts the quoted names at the odd indexes.
  return parts.map((part, index) =>
    index % 2 === 1 ? <code key={index}>{part}</code> : part,
  );
}
