import {
  UserInfoService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  ingressAtlasCloudInventoryReadPermission,
  ingressAtlasMigratePermission,
  ingressAtlasRefreshPermission,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/** Members of this group may refresh the atlas, read cloud inventory and run migrations. */
const PLATFORM_TEAM = 'group:default/platform-team';

/**
 * Everybody signed in may read; the operations that cost API calls or expose account-wide
 * inventory are kept to the platform team.
 */
export class IngressAtlasPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const restricted = [
      ingressAtlasRefreshPermission,
      ingressAtlasCloudInventoryReadPermission,
      ingressAtlasMigratePermission,
    ].some(permission => isPermission(request.permission, permission));
    if (!restricted) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(user.credentials);
    return {
      result: ownershipEntityRefs.includes(PLATFORM_TEAM)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'ingress-atlas-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new IngressAtlasPolicy(userInfo));
      },
    });
  },
});
