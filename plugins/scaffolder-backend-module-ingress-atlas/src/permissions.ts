import type { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { ingressAtlasMigratePermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';

/**
 * Refuses unless the user who started the task holds `permission` (by default, the right to
 * change clusters and cloud resources). The decision is made for the task's initiator, never
 * for the backend's own identity.
 */
export async function requirePermission(
  ctx: Pick<ActionContext<any, any>, 'getInitiatorCredentials' | 'user'>,
  permissions: PermissionsService,
  permission: BasicPermission = ingressAtlasMigratePermission,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${ctx.user?.ref ?? 'This user'} may not do this: permission ${
        permission.name
      } was denied`,
    );
  }
}
