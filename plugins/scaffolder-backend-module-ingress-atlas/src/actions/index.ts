import type { ActionOptions } from './common';
import { createDnsCutoverAction } from './dnsCutover';
import { createGatewayBindEipAction } from './gatewayBindEip';
import { createGatewayRemoveLbAction } from './gatewayRemoveLb';
import { createMeshInstallIstiodAction } from './meshInstallIstiod';

export type { ActionOptions } from './common';
export { createDnsCutoverAction } from './dnsCutover';
export { createGatewayBindEipAction } from './gatewayBindEip';
export { createGatewayRemoveLbAction } from './gatewayRemoveLb';
export { createMeshInstallIstiodAction } from './meshInstallIstiod';

/** Every Ingress Atlas action. */
export function createIngressAtlasActions(options: ActionOptions) {
  return [
    createGatewayBindEipAction(options),
    createGatewayRemoveLbAction(options),
    createDnsCutoverAction(options),
    createMeshInstallIstiodAction(options),
  ];
}
