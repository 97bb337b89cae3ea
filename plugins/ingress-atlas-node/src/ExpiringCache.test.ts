import { ExpiringCache } from './ExpiringCache';

describe('ExpiringCache', () => {
  it('returns a value until its expiry, never after', () => {
    const clock = { now: 1_000 };
    const cache = new ExpiringCache<string, string>({
      maxEntries: 10,
      now: () => clock.now,
    });
    cache.set('a', 'A', 2_000);
    expect(cache.get('a')).toBe('A');
    clock.now = 1_999;
    expect(cache.get('a')).toBe('A');
    clock.now = 2_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the one set longest ago', () => {
    const cache = new ExpiringCache<string, number>({
      maxEntries: 2,
      now: () => 0,
    });
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    cache.set('a', 3, 10); // set again: now the newest
    cache.set('c', 4, 10);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([
      3,
      undefined,
      4,
    ]);
  });

  it('forgets a key only while it holds the value given', () => {
    const cache = new ExpiringCache<string, string>({
      maxEntries: 2,
      now: () => 0,
    });
    cache.set('a', 'old', 10);
    cache.set('a', 'new', 10);
    cache.delete('a', 'old');
    expect(cache.get('a')).toBe('new');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
