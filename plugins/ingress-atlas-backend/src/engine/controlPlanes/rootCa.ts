import { createHash, X509Certificate } from 'node:crypto';
import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

/**
 * SHA-256 fingerprint of the root in an `istio-ca-root-cert` ConfigMap: the certificate's
 * own fingerprint when it parses, else a digest of the PEM text, so equal roots compare equal.
 */
export function rootCaFingerprint(
  configMap: KubeObject | undefined,
): string | undefined {
  const pem = configMap?.data?.['root-cert.pem'];
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem).fingerprint256
      .replace(/:/g, '')
      .toLowerCase();
  } catch {
    return createHash('sha256').update(pem.trim()).digest('hex');
  }
}
