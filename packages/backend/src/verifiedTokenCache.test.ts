import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import {
  cachingHttpAuthServiceFactory,
  withVerifiedTokenCache,
} from './verifiedTokenCache';

/**
 * An auth service that accepts `user:<name>:<expires ms>` (limited tokens only with
 * allowLimitedAccess) and `service:<name>`, and counts the verifications.
 */
function countingAuth() {
  const calls: string[] = [];
  const auth = {
    async authenticate(token: string, options?: { allowLimitedAccess?: boolean }) {
      calls.push(token);
      const [type, name, expires] = token.split(':');
      if (type === 'service') {
        return { $$type: '@backstage/BackstageCredentials', principal: { type: 'service', subject: name } };
      }
      if (type === 'limited' && !options?.allowLimitedAccess) {
        throw new AuthenticationError('Illegal limited user token');
      }
      if ((type !== 'user' && type !== 'limited') || Number(expires) <= clock.now) {
        throw new AuthenticationError('Failed user token verification');
      }
      return {
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: `user:default/${name}` },
        token,
        expiresAt: new Date(Number(expires)),
      } as BackstageCredentials;
    },
    isPrincipal: (credentials: BackstageCredentials, type: string) =>
      (credentials.principal as { type: string }).type === type,
  } as unknown as AuthService;
  const clock = { now: 1_000_000 };
  return { auth, calls, clock };
}

describe('withVerifiedTokenCache', () => {
  it('verifies a user token once and answers the same credentials after that', async () => {
    const { auth, calls, clock } = countingAuth();
    const cached = withVerifiedTokenCache(auth, { now: () => clock.now });
    const token = `user:guest:${clock.now + 3_600_000}`;

    const first = await cached.authenticate(token);
    const second = await cached.authenticate(token);

    expect(second).toBe(first);
    expect(second.principal).toEqual({ type: 'user', userEntityRef: 'user:default/guest' });
    expect(calls).toEqual([token]);
  });

  it('never accepts a token past its expiry, and verifies again after a minute', async () => {
    const { auth, calls, clock } = countingAuth();
    const cached = withVerifiedTokenCache(auth, { now: () => clock.now });
    const shortLived = `user:alice:${clock.now + 10_000}`;
    const longLived = `user:bob:${clock.now + 3_600_000}`;
    await cached.authenticate(shortLived);
    await cached.authenticate(longLived);

    clock.now += 10_000;
    await expect(cached.authenticate(shortLived)).rejects.toThrow(
      'Failed user token verification',
    );
    await cached.authenticate(longLived);
    expect(calls).toEqual([shortLived, longLived, shortLived]);

    clock.now += 60_000;
    await cached.authenticate(longLived);
    expect(calls).toEqual([shortLived, longLived, shortLived, longLived]);
  });

  it('does not remember failures, service tokens, or limited access for full access', async () => {
    const { auth, calls, clock } = countingAuth();
    const cached = withVerifiedTokenCache(auth, { now: () => clock.now });

    await expect(cached.authenticate('forged')).rejects.toThrow();
    await expect(cached.authenticate('forged')).rejects.toThrow();
    await cached.authenticate('service:catalog');
    await cached.authenticate('service:catalog');
    expect(calls).toEqual(['forged', 'forged', 'service:catalog', 'service:catalog']);

    const limited = `limited:guest:${clock.now + 3_600_000}`;
    await cached.authenticate(limited, { allowLimitedAccess: true });
    await expect(cached.authenticate(limited)).rejects.toThrow('Illegal limited user token');
  });
});

describe('cachingHttpAuthServiceFactory', () => {
  it("verifies a user's token once for the requests a plugin answers with it", async () => {
    const { auth, calls } = countingAuth();
    const token = `user:alice:${Date.now() + 3_600_000}`;
    const { server } = await startTestBackend({
      features: [
        cachingHttpAuthServiceFactory(),
        createServiceFactory({
          service: coreServices.auth,
          deps: {},
          factory: async () => auth,
        }),
        createBackendPlugin({
          pluginId: 'who',
          register(env) {
            env.registerInit({
              deps: { httpAuth: coreServices.httpAuth, router: coreServices.httpRouter },
              async init({ httpAuth, router }) {
                router.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
                router.use(async (req, res) => {
                  const credentials = await httpAuth.credentials(req, { allow: ['user'] });
                  res.json({ user: credentials.principal.userEntityRef });
                });
              },
            });
          },
        }),
      ],
    });
    const who = (bearer: string) =>
      fetch(`http://localhost:${server.port()}/api/who/`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    for (let i = 0; i < 3; i++) {
      const answer = await who(token);
      expect(await answer.json()).toEqual({ user: 'user:default/alice' });
    }
    expect(calls.filter(call => call === token)).toHaveLength(1);
    // Another token is verified on its own, and refused when it does not verify.
    expect((await who('user:mallory:1')).status).toBe(401);
  });
});
