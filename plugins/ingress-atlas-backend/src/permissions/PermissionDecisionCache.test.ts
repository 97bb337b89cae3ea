import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PermissionDecisionCache } from './PermissionDecisionCache';

const read = createPermission({ name: 'test.read', attributes: { action: 'read' } });
const refresh = createPermission({ name: 'test.refresh', attributes: {} });

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );
  let now = 1_000;
  const cache = PermissionDecisionCache.create({
    permissions,
    ...options,
    now: () => now,
  });
  return { permissions, cache, advance: (ms: number) => (now += ms) };
}

describe('PermissionDecisionCache', () => {
  it('asks once per principal and permission within the time to live, then again', async () => {
    const { permissions, cache, advance } = setup({ ttlMs: 5_000 });
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');

    await Promise.all([cache.isAllowed(alice, read), cache.isAllowed(alice, read)]);
    await cache.isAllowed(alice, read);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);

    await cache.isAllowed(alice, refresh);
    await cache.isAllowed(bob, read);
    await cache.isAllowed(mockCredentials.service('plugin:search'), read);
    expect(permissions.authorize).toHaveBeenCalledTimes(4);

    advance(5_001);
    await cache.isAllowed(alice, read);
    expect(permissions.authorize).toHaveBeenCalledTimes(5);
  });

  it('asks again for a fresh token of the same user (e.g. after joining a group)', async () => {
    const { permissions, cache } = setup({ ttlMs: 5_000 });
    const token = (expiresAt: number) => ({
      ...mockCredentials.user('user:default/alice'),
      expiresAt: new Date(expiresAt),
    });
    permissions.authorize.mockResolvedValueOnce([{ result: AuthorizeResult.DENY }]);
    expect(await cache.isAllowed(token(3_600_000), refresh)).toBe(false);
    expect(await cache.isAllowed(token(3_600_000), refresh)).toBe(false);
    permissions.authorize.mockResolvedValueOnce([{ result: AuthorizeResult.ALLOW }]);
    expect(await cache.isAllowed(token(3_700_000), refresh)).toBe(true);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('keeps a refusal too, and forgets a failed check at once', async () => {
    const { permissions, cache } = setup();
    const alice = mockCredentials.user('user:default/alice');
    permissions.authorize.mockRejectedValueOnce(new Error('permission backend down'));
    await expect(cache.isAllowed(alice, read)).rejects.toThrow('permission backend down');

    permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
    expect(await cache.isAllowed(alice, read)).toBe(false);
    expect(await cache.isAllowed(alice, read)).toBe(false);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('holds at most maxEntries decisions, dropping the oldest', async () => {
    const { permissions, cache } = setup({ maxEntries: 2 });
    const users = ['a', 'b', 'c'].map(n => mockCredentials.user(`user:default/${n}`));
    for (const user of users) await cache.isAllowed(user, read);
    await cache.isAllowed(users[2], read);
    await cache.isAllowed(users[1], read);
    expect(permissions.authorize).toHaveBeenCalledTimes(3);
    await cache.isAllowed(users[0], read);
    expect(permissions.authorize).toHaveBeenCalledTimes(4);
  });

  it('never keeps decisions about callers without a principal', async () => {
    const { permissions, cache } = setup();
    await cache.isAllowed(mockCredentials.none(), read);
    await cache.isAllowed(mockCredentials.none(), read);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });
});
