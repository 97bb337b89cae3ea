import {
  UserInfoService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  ACCOUNT_INVENTORY_LABEL,
  ingressAtlasReadPermission,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/** Members of this group may do everything, other users what {@link EVERYONE_MAY} lists. */
export const PLATFORM_TEAM = 'group:default/platform-team';

/**
 * What a signed-in user outside the platform team may do besides reading the catalog (see
 * {@link CATALOG_READ_WITHOUT_ACCOUNT_INVENTORY}): read the atlas and the
 * Kubernetes plugin's views of workloads, and look at templates. Everything else is denied by
 * default, including permissions of plugins added later: changing clusters (the Kubernetes
 * proxy holds the clusters' tokens and passes any request on, Secrets included), changing the
 * catalog (deleting entities, registering locations), running templates and migrations,
 * refreshing the atlas and reading account-wide cloud inventory.
 */
export const EVERYONE_MAY: ReadonlySet<string> = new Set([
  'catalog.entity.refresh',
  'catalog.entity.validate',
  'catalog.location.read',
  'kubernetes.clusters.read',
  'kubernetes.resources.read',
  ingressAtlasReadPermission.name,
  'scaffolder.template.parameter.read',
  'scaffolder.template.step.read',
]);

/**
 * Catalog entities a user outside the platform team may read: all but the Resources that are
 * the cloud account's inventory (idle and orphaned load balancers and EIPs, README
 * "Security"), which need `ingress-atlas.cloud-inventory.read`, as in the atlas's own API.
 */
export const CATALOG_READ_WITHOUT_ACCOUNT_INVENTORY = 'catalog.entity.read';

/** Permissions a user outside the platform team holds on their own scaffolder tasks only. */
export const OWN_TASKS_ONLY: ReadonlySet<string> = new Set([
  'scaffolder.task.read',
  'scaffolder.task.cancel',
]);

export class IngressAtlasPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);
    if (ownershipEntityRefs.includes(PLATFORM_TEAM)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { permission } = request;
    if (EVERYONE_MAY.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      permission.name === CATALOG_READ_WITHOUT_ACCOUNT_INVENTORY &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(permission, {
        not: catalogConditions.hasLabel({ label: ACCOUNT_INVENTORY_LABEL }),
      });
    }
    if (
      OWN_TASKS_ONLY.has(permission.name) &&
      isResourcePermission(permission, 'scaffolder-task')
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
      );
    }
    return { result: AuthorizeResult.DENY };
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
