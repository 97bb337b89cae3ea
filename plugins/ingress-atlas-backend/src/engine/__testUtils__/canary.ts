/**
 * The canary every sandbox Secret holds, as it appears in plain text and in base64 at each of
 * the three byte alignments it can have inside a longer value (e.g. a dockerconfigjson).
 */
export const CANARY_FORMS: string[] = [
  'ATLAS-CANARY-',
  ...[0, 1, 2].map(offset =>
    Buffer.from(`${'\0'.repeat(offset)}ATLAS-CANARY-`)
      .toString('base64')
      .slice(offset ? 4 : 0, -4),
  ),
];

/** The canary forms found in a text; an empty list means no secret data leaked. */
export function canariesIn(text: string): string[] {
  return CANARY_FORMS.filter(form => text.includes(form));
}
