import {
  CertificateInfo,
  ClusterDescriptor,
  ClusterInventory,
  COLLECTED_KINDS,
  CollectedKind,
  KubeObject,
  RejectedObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { certificateOf, secretMetadataOnly } from '../objects/certificates';
import { admitObject } from '../objects/objectShapes';
import { withoutNoise } from '../objects/withoutNoise';
import { SkippedDocument } from './parseManifests';
import { byStorageKey, withServerDefaults } from './serverDefaults';

function groupOf(apiVersion: string | undefined): string {
  const parts = (apiVersion ?? 'v1').split('/');
  return parts.length === 2 ? parts[0] : '';
}

/** The collected kind an object belongs to, by API group and kind (any served version). */
export function collectedKindOf(object: KubeObject): CollectedKind | undefined {
  let group = groupOf(object.apiVersion);
  // Manifests written for older Kubernetes carry the groups these kinds were served under
  // then: Ingress in extensions (until 1.22), workloads in extensions and apps/v1beta* (1.16).
  if (object.kind === 'Ingress' && group === 'extensions') {
    group = 'networking.k8s.io';
  } else if (
    ['Deployment', 'DaemonSet', 'StatefulSet'].includes(object.kind ?? '') &&
    group === 'extensions'
  ) {
    group = 'apps';
  }
  return (Object.keys(COLLECTED_KINDS) as CollectedKind[]).find(
    k =>
      COLLECTED_KINDS[k].kind === object.kind &&
      COLLECTED_KINDS[k].group === group,
  );
}

/**
 * A Secret's certificate is read for its expiry and the Secret is cut down to metadata: key
 * material and any other data never leave this function.
 */
function reduceSecret(
  secret: KubeObject & { stringData?: Record<string, string> },
) {
  const pem = secret.stringData?.['tls.crt'];
  const withData = pem
    ? {
        ...secret,
        data: {
          ...secret.data,
          'tls.crt': Buffer.from(pem).toString('base64'),
        },
      }
    : secret;
  return {
    certificate: certificateOf(withData),
    secret: secretMetadataOnly(secret),
  };
}

/** Providers recognisable from the annotations their cloud controllers read and write. */
const PROVIDER_MARKS: Array<[ClusterDescriptor['provider'], RegExp]> = [
  [
    'tencent',
    /(^|\.)(tke\.cloud\.tencent\.com|cloud\.tencent\.com)\/|^service\.kubernetes\.io\/(loadbalance-id|tke-|qcloud-)/,
  ],
  ['aliyun', /alibaba-cloud|alibabacloud\.com|aliyun/],
  ['huawei', /^kubernetes\.io\/elb\.|huaweicloud/],
];

export function inferProvider(
  objects: KubeObject[],
): ClusterDescriptor['provider'] {
  for (const [provider, pattern] of PROVIDER_MARKS) {
    if (
      objects.some(o =>
        Object.keys(o.metadata.annotations ?? {}).some(k => pattern.test(k)),
      )
    ) {
      return provider;
    }
  }
  return 'generic';
}

/**
 * A cluster read from manifest files: its inventory and what was left out.
 *
 * @public
 */
export interface ManifestObjects {
  inventory: ClusterInventory;
  /** Objects of kinds the atlas does not read, by `apiVersion kind`. */
  skipped: Record<string, number>;
  /** Documents of the files read that are not Kubernetes objects, with where and why. */
  skippedDocuments: SkippedDocument[];
}

/** Builds an inventory from parsed objects as a live collection would have read them. */
export function toInventory(
  objects: KubeObject[],
  descriptor: ClusterDescriptor,
  collectedAt: string,
): ManifestObjects {
  const byKind: ClusterInventory['objects'] = {};
  const certificates: CertificateInfo[] = [];
  const skipped: Record<string, number> = {};
  const rejected: RejectedObject[] = [];
  for (const raw of objects) {
    const kind = collectedKindOf(raw);
    if (!kind) {
      const key = `${raw.apiVersion ?? ''} ${raw.kind}`.trim();
      skipped[key] = (skipped[key] ?? 0) + 1;
      continue;
    }
    const admitted = admitObject(kind, raw);
    if ('rejected' in admitted) {
      const { namespace } = admitted.rejected;
      rejected.push({
        ...admitted.rejected,
        // Where kubectl would apply it.
        namespace:
          namespace ??
          (COLLECTED_KINDS[kind].namespaced ? 'default' : undefined),
      });
      continue;
    }
    let object = withServerDefaults(kind, withoutNoise(admitted.object));
    if (COLLECTED_KINDS[kind].namespaced && !object.metadata.namespace) {
      object = {
        ...object,
        metadata: { ...object.metadata, namespace: 'default' },
      };
    }
    if (kind === 'secrets') {
      const { certificate, secret } = reduceSecret(object);
      if (certificate) certificates.push(certificate);
      object = secret;
    }
    (byKind[kind] ??= []).push(object);
  }
  for (const list of Object.values(byKind)) list?.sort(byStorageKey);
  certificates.sort((a, b) => (a.secret < b.secret ? -1 : 1));
  return {
    inventory: {
      cluster: descriptor,
      collectedAt,
      objects: byKind,
      unavailable: {},
      certificates,
      rejected,
    },
    skipped,
    skippedDocuments: [],
  };
}
