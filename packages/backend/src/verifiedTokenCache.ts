import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  ServiceFactory,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { DefaultHttpAuthService } from '@backstage/backend-defaults/httpAuth';
import { ExpiringCache } from '@ingress-atlas/plugin-ingress-atlas-node';

/** How long a verified user token is taken as verified, at most (and never past its expiry). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Remembers the credentials of user tokens it has verified, until the token expires or for
 * a minute, whichever comes first: a portal page makes many requests with one token, and
 * checking its signature each time is the largest part of serving a small response.
 * The same token string gives the same credentials; a token that fails verification is
 * never remembered; service and plugin tokens are verified every time.
 */
export function withVerifiedTokenCache(
  auth: AuthService,
  options: { now?: () => number } = {},
): AuthService {
  const now = options.now ?? Date.now;
  const verified = new ExpiringCache<string, BackstageCredentials>({
    maxEntries: MAX_ENTRIES,
    now,
  });
  return {
    async authenticate(token, authOptions) {
      const key = `${authOptions?.allowLimitedAccess ? 'limited' : 'full'} ${token}`;
      const hit = verified.get(key);
      if (hit) return hit;
      const credentials = await auth.authenticate(token, authOptions);
      if (auth.isPrincipal(credentials, 'user') && credentials.expiresAt) {
        verified.set(
          key,
          credentials,
          Math.min(credentials.expiresAt.getTime(), now() + MAX_AGE_MS),
        );
      }
      return credentials;
    },
    isPrincipal: ((credentials, type) =>
      auth.isPrincipal(credentials, type)) as AuthService['isPrincipal'],
    getNoneCredentials: () => auth.getNoneCredentials(),
    getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
    getPluginRequestToken: request => auth.getPluginRequestToken(request),
    getLimitedUserToken: credentials => auth.getLimitedUserToken(credentials),
    listPublicServiceKeys: () => auth.listPublicServiceKeys(),
  };
}

/**
 * Backstage's HTTP auth service (its public `DefaultHttpAuthService`), verifying the tokens of
 * incoming requests through {@link withVerifiedTokenCache}: one cache per plugin, for the
 * requests that plugin answers. Other uses of the auth service verify every time.
 */
export function cachingHttpAuthServiceFactory(): ServiceFactory<HttpAuthService, 'plugin'> {
  return createServiceFactory({
    service: coreServices.httpAuth,
    deps: {
      auth: coreServices.auth,
      discovery: coreServices.discovery,
      plugin: coreServices.pluginMetadata,
    },
    async factory({ auth, discovery, plugin }) {
      return DefaultHttpAuthService.create({
        auth: withVerifiedTokenCache(auth),
        discovery,
        pluginId: plugin.getId(),
      });
    },
  });
}
