import { X509Certificate } from 'node:crypto';
import { CertificateInfo, KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { withoutNoise } from './withoutNoise';

/**
 * Reads the public certificate of a TLS Secret (never the key) for its expiry and names.
 * The caller drops the Secret's data right after.
 */
export function certificateOf(secret: KubeObject): CertificateInfo | undefined {
  const pem = secret.data?.['tls.crt'];
  if (!pem) return undefined;
  const ref = `${secret.metadata.namespace}/${secret.metadata.name}`;
  try {
    const cert = new X509Certificate(Buffer.from(pem, 'base64'));
    return {
      secret: ref,
      notAfter: new Date(cert.validTo).toISOString(),
      subject: cert.subject,
      dnsNames: cert.subjectAltName
        ?.split(', ')
        .filter(name => name.startsWith('DNS:'))
        .map(name => name.slice(4)),
    };
  } catch (error) {
    return { secret: ref, error: `tls.crt is not a valid certificate` };
  }
}

/** A Secret reduced to metadata and type: the only form in which Secrets are kept. */
export function secretMetadataOnly(secret: KubeObject): KubeObject {
  return {
    apiVersion: secret.apiVersion,
    kind: 'Secret',
    type: secret.type,
    metadata: {
      name: secret.metadata.name,
      namespace: secret.metadata.namespace,
      uid: secret.metadata.uid,
      labels: secret.metadata.labels,
      annotations: withoutNoise(secret).metadata.annotations,
      creationTimestamp: secret.metadata.creationTimestamp,
    },
  };
}
