/**
 * Who installed an Istio control plane or gateway object, and so may put it back as it was:
 * Tencent's managed mesh (TCM), Alibaba Cloud's (ASM), istioctl or Istio's in-cluster operator
 * (from an IstioOperator), or Helm.
 *
 * @public
 */
export type Installer = 'tcm' | 'asm' | 'istioctl' | 'helm';

/** The label (TCM also sets it as an annotation) Istio's installer puts on what it installs. */
const OWNING_RESOURCE = 'install.operator.istio.io/owning-resource';

/**
 * The installer an object's labels and annotations name: TCM labels what it installs with
 * `owning-resource: tcm` (or `tcm.cloud.tencent.com/*` keys), ASM with `provider: asm` or
 * `asm.alibabacloud.com/*` keys, Helm with `app.kubernetes.io/managed-by: Helm` (Istio's charts
 * also set `owning-resource: unknown`), and istioctl or Istio's operator set `owning-resource`
 * to `unknown` or to the IstioOperator's name (`installed-state[-<rev>]`, say).
 *
 * @public
 */
export function installerOf(metadata: {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): Installer | undefined {
  const pairs: Record<string, string> = {
    ...metadata.labels,
    ...metadata.annotations,
  };
  for (const [key, value] of Object.entries(pairs)) {
    if (key.startsWith('tcm.cloud.tencent.com/')) return 'tcm';
    if (
      key.startsWith('asm.alibabacloud.com/') ||
      (key === 'provider' && value === 'asm')
    ) {
      return 'asm';
    }
  }
  const owner = pairs[OWNING_RESOURCE];
  if (owner === 'tcm' || owner === 'asm') return owner;
  if (pairs['app.kubernetes.io/managed-by'] === 'Helm') return 'helm';
  return owner ? 'istioctl' : undefined;
}
