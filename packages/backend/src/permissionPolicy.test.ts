import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ingressAtlasCloudInventoryReadPermission,
  ingressAtlasMigratePermission,
  ingressAtlasReadPermission,
  ingressAtlasRefreshPermission,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { IngressAtlasPolicy } from './permissionPolicy';

describe('IngressAtlasPolicy', () => {
  const user = (ownershipEntityRefs: string[]) => ({
    credentials: mockCredentials.user('user:default/someone'),
    info: { userEntityRef: 'user:default/someone', ownershipEntityRefs },
  });
  const decide = (permission: any, ownership: string[]) =>
    new IngressAtlasPolicy(
      mockServices.userInfo({ ownershipEntityRefs: ownership }),
    ).handle({ permission }, user(ownership));

  it('lets everybody read the atlas', async () => {
    expect(await decide(ingressAtlasReadPermission, ['user:default/someone'])).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('keeps refresh, cloud inventory and migrations to the platform team', async () => {
    for (const permission of [
      ingressAtlasRefreshPermission,
      ingressAtlasCloudInventoryReadPermission,
      ingressAtlasMigratePermission,
    ]) {
      expect(await decide(permission, ['user:default/someone', 'group:default/blog-team'])).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(
        await decide(permission, ['user:default/someone', 'group:default/platform-team']),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});
