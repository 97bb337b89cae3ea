import {
  PLAINTEXT_TLS_MODE,
  TlsInfo,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';

const DAY_MS = 24 * 60 * 60 * 1000;

const NO_CERTIFICATE_MODES = [
  'PASSTHROUGH',
  'AUTO_PASSTHROUGH',
  'ISTIO_MUTUAL',
];

export const PLAINTEXT: TlsInfo = {
  mode: PLAINTEXT_TLS_MODE,
  certificateSource: 'none',
};

/**
 * What a listener terminates TLS with: a Secret (with its certificate's expiry when it was
 * read), files mounted into the proxy, or nothing.
 */
export function tlsInfo(
  objects: ClusterObjects,
  now: Date,
  options: {
    mode?: string;
    /** Secret name; `namespace/name` is accepted too. */
    credentialName?: string;
    /** The namespace the proxy reads Secrets from. */
    secretNamespace: string;
    serverCertificate?: string;
  },
): TlsInfo {
  const mode = (options.mode ?? 'SIMPLE').toUpperCase();
  if (NO_CERTIFICATE_MODES.includes(mode)) {
    return { mode, certificateSource: 'none' };
  }
  if (options.credentialName) {
    const secretRef = options.credentialName.includes('/')
      ? options.credentialName
      : `${options.secretNamespace}/${options.credentialName}`;
    const certificate = objects.inventory.certificates.find(
      c => c.secret === secretRef,
    );
    const notAfter = certificate?.notAfter;
    return {
      mode,
      credentialName: options.credentialName,
      certificateSource: 'secret',
      secretRef,
      notAfter,
      daysToExpiry:
        notAfter !== undefined
          ? Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS)
          : undefined,
    };
  }
  if (options.serverCertificate) {
    return { mode, certificateSource: 'file' };
  }
  return { mode, certificateSource: 'none' };
}
