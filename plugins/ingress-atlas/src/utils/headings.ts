/**
 * Heading levels of our cards, so the titles are headings in order under the page's own: on
 * an entity page the entity's name is the H2 and its overview cards are H3; a tab or an Atlas
 * page tab has sections at H2 and their parts at H3.
 */
export const ENTITY_CARD_TITLE = { component: 'h3' } as const;
export const SECTION_TITLE = { component: 'h2' } as const;
