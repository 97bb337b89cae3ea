import type { ActionOptions } from './common';
import { createClusterApiProxyAction } from './clusterApiProxy';
import { createDnsCutoverAction } from './dnsCutover';
import { createGatewayBindEipAction } from './gatewayBindEip';
import { createGatewayEnableTlsAction } from './gatewayEnableTls';
import { createGatewayExposeServiceAction } from './gatewayExposeService';
import { createGatewayFrontProxyAction } from './gatewayFrontProxy';
import { createGatewayHostNetworkAction } from './gatewayHostNetwork';
import { createGatewayRemoveLbAction } from './gatewayRemoveLb';
import { createGatewayVerifyEipAction } from './gatewayVerifyEip';
import { createMeshInstallIstiodAction } from './meshInstallIstiod';
import { createMeshJoinRemoteAction } from './meshJoinRemote';

export type { ActionOptions } from './common';
export { createClusterApiProxyAction } from './clusterApiProxy';
export { createDnsCutoverAction } from './dnsCutover';
export { createGatewayBindEipAction } from './gatewayBindEip';
export { createGatewayEnableTlsAction } from './gatewayEnableTls';
export { createGatewayExposeServiceAction } from './gatewayExposeService';
export { createGatewayFrontProxyAction } from './gatewayFrontProxy';
export { createGatewayHostNetworkAction } from './gatewayHostNetwork';
export { createGatewayRemoveLbAction } from './gatewayRemoveLb';
export { createGatewayVerifyEipAction } from './gatewayVerifyEip';
export { createMeshInstallIstiodAction } from './meshInstallIstiod';
export { createMeshJoinRemoteAction } from './meshJoinRemote';

/**
 * Every Ingress Atlas action.
 *
 * @public
 */
export function createIngressAtlasActions(options: ActionOptions) {
  return [
    createGatewayBindEipAction(options),
    createGatewayVerifyEipAction(options),
    createGatewayRemoveLbAction(options),
    createDnsCutoverAction(options),
    createMeshInstallIstiodAction(options),
    createMeshJoinRemoteAction(options),
    createGatewayEnableTlsAction(options),
    createGatewayExposeServiceAction(options),
    createGatewayHostNetworkAction(options),
    createGatewayFrontProxyAction(options),
    createClusterApiProxyAction(options),
  ];
}
