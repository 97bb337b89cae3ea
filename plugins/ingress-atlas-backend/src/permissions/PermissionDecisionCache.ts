import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { ExpiringCache } from '@ingress-atlas/plugin-ingress-atlas-node';

/**
 * Remembers the decisions on basic permissions for a few seconds, per token (a user's entity
 * ref or a service's subject, with the token's expiry) and permission: a page that sends many
 * requests costs one permission check, a fresh token (new group membership, signed in again)
 * is asked about at once, and a change of policy shows within `ttlMs`. At most
 * `maxEntries` decisions are kept; the oldest go first. Callers without a user or service
 * principal are always asked about.
 */
export class PermissionDecisionCache {
  static create(options: {
    permissions: PermissionsService;
    ttlMs?: number;
    maxEntries?: number;
    now?: () => number;
  }) {
    const now = options.now ?? Date.now;
    return new PermissionDecisionCache(
      options.permissions,
      options.ttlMs ?? 5_000,
      new ExpiringCache({ maxEntries: options.maxEntries ?? 10_000, now }),
      now,
    );
  }

  private constructor(
    private readonly permissions: PermissionsService,
    private readonly ttlMs: number,
    private readonly decisions: ExpiringCache<string, Promise<boolean>>,
    private readonly now: () => number,
  ) {}

  async isAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean> {
    const principal = principalKey(credentials);
    if (!principal) return this.ask(credentials, permission);
    const key = `${principal}\n${permission.name}`;
    const cached = this.decisions.get(key);
    if (cached) return cached;

    // Concurrent requests of one principal share one check.
    const allowed = this.ask(credentials, permission);
    this.decisions.set(key, allowed, this.now() + this.ttlMs);
    allowed.catch(() => this.decisions.delete(key, allowed));
    return allowed;
  }

  private async ask(credentials: BackstageCredentials, permission: BasicPermission) {
    const [decision] = await this.permissions.authorize([{ permission }], { credentials });
    return decision.result === AuthorizeResult.ALLOW;
  }
}

/**
 * Tokens of one principal differ in their expiry (issued at another time), so the principal and
 * the expiry tell tokens apart without keeping the token itself.
 */
function principalKey({ principal, expiresAt }: BackstageCredentials): string | undefined {
  const p = principal as { type?: string; userEntityRef?: string; subject?: string };
  const token = `@${expiresAt?.getTime() ?? ''}`;
  if (p.type === 'user' && p.userEntityRef) return `user:${p.userEntityRef}${token}`;
  if (p.type === 'service' && p.subject) return `service:${p.subject}${token}`;
  return undefined;
}
