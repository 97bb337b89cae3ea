import { installerOf } from '@ingress-atlas/plugin-ingress-atlas-common';
import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

export type Managed = 'tcm' | 'asm';

/** The cloud that runs the control plane an object belongs to (TCM, ASM), if any. */
export function managedMarker(object: KubeObject): Managed | undefined {
  const installer = installerOf(object.metadata);
  return installer === 'tcm' || installer === 'asm' ? installer : undefined;
}
