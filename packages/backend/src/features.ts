import type { BackendFeature } from '@backstage/backend-plugin-api';
import proxyBackend from '@backstage/plugin-proxy-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import atlasScaffolderBackendModuleIngressAtlas from '@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import authBackendModuleOidcProvider from '@backstage/plugin-auth-backend-module-oidc-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogBackendModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogBackendModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import atlasCatalogBackendModuleIngressAtlas from '@ingress-atlas/plugin-catalog-backend-module-ingress-atlas';
import permissionBackend from '@backstage/plugin-permission-backend';
import searchBackend from '@backstage/plugin-search-backend';
import searchBackendModulePg from '@backstage/plugin-search-backend-module-pg';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import atlasSearchBackendModuleIngressAtlas from '@ingress-atlas/plugin-search-backend-module-ingress-atlas';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import atlasIngressAtlasBackend from '@ingress-atlas/plugin-ingress-atlas-backend';
import atlasIngressAtlasBackendModuleTencent from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import permissionPolicy from './permissionPolicy';

/**
 * The portal's backend features, apart from the app's static files and the token cache that
 * `index.ts` adds: one list, so that tests boot the same portal the README starts (the
 * security tests ask every plugin in it for the permissions it registers).
 */
export function portalFeatures(): BackendFeature[] {
  return [
    proxyBackend,

    // scaffolder plugin
    scaffolderBackend,
    // opens the pull request of the istiod migration template
    scaffolderBackendModuleGithub,
    scaffolderBackendModuleNotifications,
    atlasScaffolderBackendModuleIngressAtlas,

    // auth plugin; sign-in providers are configured per environment (see app-config*.yaml)
    authBackend,
    authBackendModuleGuestProvider,
    authBackendModuleOidcProvider,

    // catalog plugin
    catalogBackend,
    catalogBackendModuleScaffolderEntityModel,
    // https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
    catalogBackendModuleLogs,
    atlasCatalogBackendModuleIngressAtlas,

    // permission plugin, with the policy every route and action is checked against
    permissionBackend,
    permissionPolicy,

    // search plugin, its engine (https://backstage.io/docs/features/search/search-engines)
    // and collators
    searchBackend,
    searchBackendModulePg,
    searchBackendModuleCatalog,
    atlasSearchBackendModuleIngressAtlas,

    // kubernetes plugin
    kubernetesBackend,

    userSettingsBackend,
    notificationsBackend,
    signalsBackend,

    // ingress atlas
    atlasIngressAtlasBackend,
    atlasIngressAtlasBackendModuleTencent,
  ];
}
