import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterDirectory, ConnectedCluster } from '../clusters';
import { ISTIO_NAMESPACE } from '../istio';
import { KubeObject, readObject, removeMapKeys } from '../kube';
import type { CloudCall } from './steps';
import { MANAGED_BY, MANAGED_BY_LABEL, Preflight } from './common';

/*
 * Istio's plug-in CA: istiod signs workload certificates with the CA in Secret
 * `istio-system/cacerts` when there is one, else with a self-signed root of its own. Only key
 * names, subjects, fingerprints and expiry dates of what these Secrets hold are ever said.
 */

const CACERTS = 'cacerts';
const CACERTS_REF = {
  apiVersion: 'v1',
  kind: 'Secret',
  namespace: ISTIO_NAMESPACE,
  name: CACERTS,
};

/** The keys of Istio's plug-in CA Secret `istio-system/cacerts`. */
const PLUGGED_IN_CA_KEYS = [
  'ca-cert.pem',
  'ca-key.pem',
  'root-cert.pem',
  'cert-chain.pem',
];

/** Which key of a CA Secret holds what. */
interface CaLayout {
  keys: string[];
  cert: string;
  key: string;
  root: string;
  /** The CA certificate, its intermediates and the root. */
  chain?: string;
}

const LAYOUTS: CaLayout[] = [
  {
    keys: PLUGGED_IN_CA_KEYS,
    cert: 'ca-cert.pem',
    key: 'ca-key.pem',
    root: 'root-cert.pem',
    chain: 'cert-chain.pem',
  },
  // istiod also takes the kubernetes.io/tls layout.
  {
    keys: ['tls.crt', 'tls.key', 'ca.crt'],
    cert: 'tls.crt',
    key: 'tls.key',
    root: 'ca.crt',
  },
];

/** The layout a Secret comes nearest to, with the keys of it the Secret lacks. */
function layoutOf(secret: KubeObject): { layout: CaLayout; missing: string[] } {
  return LAYOUTS.map(layout => ({
    layout,
    missing: layout.keys.filter(key => !secret.data?.[key]),
  })).sort((a, b) => a.missing.length - b.missing.length)[0];
}

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM value, or none when one of them cannot be read. */
function certificatesOf(secret: KubeObject, key: string): X509Certificate[] {
  const pem = Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
  try {
    return (pem.match(PEM_CERTIFICATE) ?? []).map(
      block => new X509Certificate(block),
    );
  } catch {
    return [];
  }
}

/** How a certificate is named to a person: subject, SHA-256 fingerprint and expiry. */
function describeCertificate(certificate: X509Certificate): string {
  return `"${certificate.subject.split('\n').join(', ')}" (SHA-256 ${
    certificate.fingerprint256
  }, valid until ${new Date(certificate.validTo).toISOString().slice(0, 10)})`;
}

const issuedBy = (certificate: X509Certificate, issuer: X509Certificate) =>
  certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);

/** The root `certificate` chains to, through `intermediates` if need be. */
function rootOf(
  certificate: X509Certificate,
  roots: X509Certificate[],
  intermediates: X509Certificate[],
): X509Certificate | undefined {
  const root = roots.find(r => issuedBy(certificate, r));
  if (root) {
    return root;
  }
  const issuer = intermediates.find(
    i =>
      i.fingerprint256 !== certificate.fingerprint256 &&
      issuedBy(certificate, i),
  );
  // Each intermediate is climbed once, so a chain that loops ends.
  return (
    issuer &&
    rootOf(
      issuer,
      roots,
      intermediates.filter(i => i !== issuer),
    )
  );
}

function keyMatches(certificate: X509Certificate, base64: string): boolean {
  try {
    return certificate.checkPrivateKey(
      createPrivateKey(Buffer.from(base64, 'base64')),
    );
  } catch {
    return false;
  }
}

/**
 * What istiod needs of a plug-in CA: every key of its layout, a CA certificate with its private
 * key, chaining to the root (through cert-chain.pem's intermediates), none of them expired.
 * Returns the problems, or the root istiod will sign under.
 */
function inspectCa(
  secret: KubeObject,
  now: number,
): { problems: string[]; root?: X509Certificate } {
  const { layout, missing } = layoutOf(secret);
  if (missing.length > 0) {
    return {
      problems: [
        `it lacks ${missing.join(', ')} (istiod needs ${layout.keys.join(
          ', ',
        )})`,
      ],
    };
  }
  const [certificate] = certificatesOf(secret, layout.cert);
  const roots = certificatesOf(secret, layout.root);
  const unreadable = [
    ...(certificate ? [] : [layout.cert]),
    ...(roots.length > 0 ? [] : [layout.root]),
  ];
  if (unreadable.length > 0) {
    return {
      problems: [`${unreadable.join(' and ')}: no readable PEM certificate`],
    };
  }
  const intermediates = layout.chain
    ? certificatesOf(secret, layout.chain)
    : [];
  const root = rootOf(certificate, roots, intermediates);
  const problems: string[] = [];
  if (!certificate.ca) {
    problems.push(
      `${layout.cert} is not a CA certificate (basicConstraints CA:TRUE), so istiod cannot sign with it`,
    );
  }
  if (!keyMatches(certificate, secret.data[layout.key])) {
    problems.push(`${layout.key} is not the private key of ${layout.cert}`);
  }
  if (!root) {
    problems.push(
      `${layout.cert} does not chain to ${layout.root}${
        layout.chain ? ` (through the certificates of ${layout.chain})` : ''
      }`,
    );
  }
  for (const [key, cert] of [
    [layout.cert, certificate],
    [layout.root, root ?? roots[0]],
  ] as const) {
    if (Date.parse(cert.validTo) < now) {
      problems.push(`${key} expired on ${cert.validTo}`);
    }
  }
  return { problems, root };
}

/** The root of a live CA Secret as a person is told it, if it can be read. */
function rootDescription(secret: KubeObject): string | undefined {
  const { layout } = layoutOf(secret);
  const [root] = certificatesOf(secret, layout.root);
  return root && `root ${describeCertificate(root)}`;
}

function sameData(a: KubeObject, b: KubeObject): boolean {
  const keys = Object.keys(a.data ?? {});
  return (
    keys.length === Object.keys(b.data ?? {}).length &&
    keys.every(key => a.data[key] === b.data?.[key])
  );
}

/**
 * Which root istiod will sign with when no plug-in CA is copied. Without `istio-system/cacerts`
 * istiod makes a self-signed root of its own, and the next control plane cannot share this
 * one's data plane: the trap a move off TCM falls into. Only the Secret's key names are read.
 */
export async function checkRootCa(
  cluster: ConnectedCluster,
  preflight: Preflight,
): Promise<void> {
  let cacerts: KubeObject | undefined;
  try {
    cacerts = await readObject(cluster, CACERTS_REF);
  } catch (error) {
    preflight.warn(
      `The plug-in CA was not checked: ${(error as Error).message}`,
    );
    return;
  }
  if (!cacerts) {
    preflight.warn(
      `No Secret ${ISTIO_NAMESPACE}/${CACERTS} on cluster ${
        cluster.name
      }: istiod makes a self-signed root of its own, and a later control plane with another root cannot share this data plane (a new environment and a DNS cutover again, as leaving TCM needed). To avoid that, give caSecretCluster (and caSecretNamespace, caSecretName) to copy your organisation's root there before installing, or create ${ISTIO_NAMESPACE}/${CACERTS} yourself (Istio's plug-in CA: ${PLUGGED_IN_CA_KEYS.join(
        ', ',
      )})`,
    );
    return;
  }
  const { missing } = layoutOf(cacerts);
  const root = rootDescription(cacerts);
  preflight.check(
    missing.length === 0,
    `istiod signs with the plug-in CA in Secret ${ISTIO_NAMESPACE}/${CACERTS}${
      root ? ` (${root})` : ''
    }`,
    `Secret ${ISTIO_NAMESPACE}/${CACERTS} lacks ${missing.join(
      ', ',
    )}: istiod needs all four to sign with a plugged-in root`,
  );
}

/** A Secret with the organisation's plug-in CA, on one of ingressAtlas.clusters. */
export interface CaSource {
  cluster: string;
  namespace: string;
  name: string;
}

/** Where the copied Secret came from: `<cluster>/<namespace>/<name>`. */
const COPIED_FROM_ANNOTATION = 'ingress-atlas.io/copied-from';

/** What copying a plug-in CA onto the target takes: the step that writes it, before istiod. */
export interface CaCopy {
  /** The Secret as `istio-system/cacerts` should be, when it must be written. */
  secret?: KubeObject;
  /** Removes what an earlier CA left in the Secret that the copied one does not hold. */
  removeStaleKeys?: CloudCall;
  /** The root istiod will sign with: subject, SHA-256 fingerprint and expiry. */
  root?: string;
}

/**
 * Checks the organisation's plug-in CA in `source` and what the target holds in its place, and
 * plans its copy into `istio-system/cacerts`: refused when the source is no usable CA, or when
 * the target holds another CA and `replace` is off. Says which root istiod will sign with.
 */
export async function planCaCopy(
  clusters: ClusterDirectory,
  target: ConnectedCluster,
  preflight: Preflight,
  options: {
    source: CaSource;
    replace: boolean;
    now: number;
    logger: LoggerService;
  },
): Promise<CaCopy> {
  const { source, replace, logger } = options;
  const from = `Secret ${source.namespace}/${source.name} on cluster ${source.cluster}`;
  const to = `Secret ${ISTIO_NAMESPACE}/${CACERTS} on cluster ${target.name}`;
  let secret: KubeObject | undefined;
  let live: KubeObject | undefined;
  try {
    const cluster = await clusters.connect(source.cluster, {
      fieldManager: target.fieldManager,
    });
    [secret, live] = await Promise.all([
      readObject(cluster, {
        ...CACERTS_REF,
        namespace: source.namespace,
        name: source.name,
      }),
      readObject(target, CACERTS_REF),
    ]);
  } catch (error) {
    preflight.fail(
      `The plug-in CA could not be read: ${(error as Error).message}`,
    );
    return {};
  }
  if (!secret) {
    preflight.fail(
      `${from} does not exist: there is no plug-in CA to copy from it`,
    );
    return {};
  }
  const { problems, root } = inspectCa(secret, options.now);
  if (
    !preflight.check(
      problems.length === 0,
      `${from} holds a plug-in CA istiod can sign with`,
      `${from} cannot be istiod's plug-in CA: ${problems.join('; ')}`,
    )
  ) {
    return {};
  }
  const signsWith = describeCertificate(root!);
  preflight.pass(
    `istiod will sign with root ${signsWith}, the plug-in CA of ${from}`,
  );
  if (live && sameData(live, secret)) {
    preflight.pass(`${to} holds this CA already`);
    return { root: signsWith };
  }
  if (live) {
    const replaced = `${to} holds another CA (${
      rootDescription(live) ?? 'no readable root'
    })`;
    if (live.type !== secret.type) {
      preflight.fail(
        `${replaced} in a Secret of type ${live.type}, the copy's is ${secret.type}, and a Secret's type cannot change: delete it first`,
      );
      return {};
    }
    if (
      !preflight.check(
        replace,
        `${replaced}: replaced, as asked, once its values are kept in a backup Secret beside it`,
        `${replaced}; set replaceCacerts to replace it (its values are kept in a backup Secret beside it first). Workloads with certificates of the old root cannot reach those of the new one until they restart`,
      )
    ) {
      return {};
    }
  }
  const staleKeys = Object.keys(live?.data ?? {}).filter(
    key => !(key in secret!.data),
  );
  return {
    root: signsWith,
    secret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: CACERTS,
        namespace: ISTIO_NAMESPACE,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
        annotations: {
          [COPIED_FROM_ANNOTATION]: `${source.cluster}/${source.namespace}/${source.name}`,
        },
      },
      type: secret.type,
      data: secret.data,
    },
    ...(staleKeys.length > 0 && {
      removeStaleKeys: {
        what: `remove ${staleKeys.join(
          ', ',
        )} from ${to}, which the copied CA does not hold`,
        run: async () => {
          await removeMapKeys(target, CACERTS_REF, ['data'], staleKeys, {
            dryRun: false,
          });
          logger.info(`Removed ${staleKeys.join(', ')} from ${to}`);
        },
      },
    }),
  };
}
