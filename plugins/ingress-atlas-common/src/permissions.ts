import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the exposure model: clusters, paths, findings, costs.
 *
 * @public
 */
export const ingressAtlasReadPermission = createPermission({
  name: 'ingress-atlas.read',
  attributes: { action: 'read' },
});

/**
 * Start a refresh of clusters and cloud inventories.
 *
 * @public
 */
export const ingressAtlasRefreshPermission = createPermission({
  name: 'ingress-atlas.refresh',
  attributes: { action: 'update' },
});

/**
 * Read raw cloud inventory (load balancers, addresses, meshes) of the configured accounts.
 *
 * @public
 */
export const ingressAtlasCloudInventoryReadPermission = createPermission({
  name: 'ingress-atlas.cloud-inventory.read',
  attributes: { action: 'read' },
});

/**
 * Change clusters and cloud resources through the scaffolder actions: move gateways, delete
 * load balancers, repoint DNS records, install or join a mesh.
 *
 * @public
 */
export const ingressAtlasMigratePermission = createPermission({
  name: 'ingress-atlas.migrate',
  attributes: { action: 'update' },
});

/** @public */
export const ingressAtlasPermissions = [
  ingressAtlasReadPermission,
  ingressAtlasRefreshPermission,
  ingressAtlasCloudInventoryReadPermission,
  ingressAtlasMigratePermission,
];
