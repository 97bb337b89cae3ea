import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

export type Managed = 'tcm' | 'asm';

const OWNING_RESOURCE = 'install.operator.istio.io/owning-resource';

/**
 * Signs, on objects a cloud installs into the cluster, that the cloud runs the control plane:
 * TCM labels what it installs with `owning-resource: tcm`; ASM with its own keys.
 */
export function managedMarker(object: KubeObject): Managed | undefined {
  const pairs = {
    ...object.metadata.labels,
    ...object.metadata.annotations,
  };
  for (const [key, value] of Object.entries(pairs)) {
    if (key === OWNING_RESOURCE && (value === 'tcm' || value === 'asm'))
      return value;
    if (key.startsWith('tcm.cloud.tencent.com/')) return 'tcm';
    if (
      key.startsWith('asm.alibabacloud.com/') ||
      (key === 'provider' && value === 'asm')
    ) {
      return 'asm';
    }
  }
  return undefined;
}
