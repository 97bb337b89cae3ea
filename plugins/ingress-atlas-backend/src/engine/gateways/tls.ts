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
 * The Secret (`namespace/name`) and key a file mounted into a pod comes from: the volume mount
 * whose path holds the file (or is the file, through `subPath`) and the Secret volume behind
 * it, whose `items` may map keys to other paths.
 */
function mountedSecretFile(
  pod: { namespace: string; spec: any },
  file: string,
): { secretRef: string; key: string } | undefined {
  for (const container of pod.spec?.containers ?? []) {
    for (const mount of container.volumeMounts ?? []) {
      const mountPath = String(mount.mountPath ?? '').replace(/\/+$/, '');
      let path: string | undefined;
      if (mount.subPath && file === mountPath) path = mount.subPath;
      else if (!mount.subPath && file.startsWith(`${mountPath}/`)) {
        path = file.slice(mountPath.length + 1);
      }
      if (!path) continue;
      const secret = (pod.spec.volumes ?? []).find(
        (v: { name?: string }) => v.name === mount.name,
      )?.secret;
      if (!secret?.secretName) continue;
      const items: Array<{ key: string; path: string }> | undefined =
        secret.items;
      const key = items ? items.find(item => item.path === path)?.key : path;
      if (key)
        return { secretRef: `${pod.namespace}/${secret.secretName}`, key };
    }
  }
  return undefined;
}

/** The expiry of a Secret's certificate, when it was read (`tls.crt` is the key read). */
function expiryOf(objects: ClusterObjects, now: Date, secretRef: string) {
  const notAfter = objects.inventory.certificates.find(
    c => c.secret === secretRef,
  )?.notAfter;
  return {
    notAfter,
    daysToExpiry:
      notAfter !== undefined
        ? Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS)
        : undefined,
  };
}

/**
 * What a listener terminates TLS with: a Secret (with its certificate's expiry when it was
 * read), files mounted into the proxy (from a Secret the proxy's pod mounts, with its expiry
 * likewise), or nothing.
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
    /** The proxy's pod, for the Secret a mounted `serverCertificate` comes from. */
    pod?: { namespace: string; spec: any };
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
    return {
      mode,
      credentialName: options.credentialName,
      certificateSource: 'secret',
      secretRef,
      ...expiryOf(objects, now, secretRef),
    };
  }
  if (options.serverCertificate) {
    const mounted =
      options.pod && mountedSecretFile(options.pod, options.serverCertificate);
    if (!mounted) return { mode, certificateSource: 'file' };
    return {
      mode,
      certificateSource: 'file',
      secretRef: mounted.secretRef,
      ...(mounted.key === 'tls.crt' &&
        expiryOf(objects, now, mounted.secretRef)),
    };
  }
  return { mode, certificateSource: 'none' };
}
