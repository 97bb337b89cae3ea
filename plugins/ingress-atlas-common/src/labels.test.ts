import {
  matchesLabelSelector,
  labelSelectorQueryMatcher,
  matchesSelector,
} from './labels';

describe('labels', () => {
  const labels = {
    app: 'blog',
    tier: 'web',
    'backstage.io/kubernetes-id': 'blog',
  };

  it('matches plain selectors only when every pair is present, and never on an empty one', () => {
    expect(matchesSelector({ app: 'blog' }, labels)).toBe(true);
    expect(matchesSelector({ app: 'blog', tier: 'api' }, labels)).toBe(false);
    expect(matchesSelector({}, labels)).toBe(false);
  });

  it('matches label selector objects with expressions', () => {
    expect(
      matchesLabelSelector(
        {
          matchLabels: { app: 'blog' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['web', 'api'] },
          ],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      matchesLabelSelector(
        { matchExpressions: [{ key: 'legacy', operator: 'Exists' }] },
        labels,
      ),
    ).toBe(false);
  });

  it('reads Backstage label selector queries', () => {
    expect(
      labelSelectorQueryMatcher('app=blog,tier in (web, api),!legacy')(labels),
    ).toBe(true);
    expect(labelSelectorQueryMatcher('app==blog,tier!=web')(labels)).toBe(
      false,
    );
    expect(
      labelSelectorQueryMatcher('backstage.io/kubernetes-id')(labels),
    ).toBe(true);
    expect(() => labelSelectorQueryMatcher('app = = blog')(labels)).toThrow(
      "Invalid label selector 'app = = blog'",
    );
  });
});
