import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

export const REDACTED = '<redacted>';

/** Server-owned metadata: noise in a diff, and wrong when a backup is applied again. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
];

/** Annotations that copy the object (a Secret's included) or that the server writes. */
const DROPPED_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];

/**
 * The object as a manifest to keep or show: no status or server metadata, and no Secret
 * values (keys stay, so a reader knows what to restore).
 */
export function manifestOf(object: KubeObject): KubeObject {
  const manifest: KubeObject = JSON.parse(JSON.stringify(object));
  delete manifest.status;
  const metadata = manifest.metadata ?? {};
  for (const key of SERVER_METADATA) {
    delete (metadata as Record<string, unknown>)[key];
  }
  for (const key of DROPPED_ANNOTATIONS) {
    delete metadata.annotations?.[key];
  }
  if (metadata.annotations && Object.keys(metadata.annotations).length === 0) {
    delete metadata.annotations;
  }
  if (manifest.kind === 'Service' && manifest.spec) {
    // Assigned by the cluster: applying the backup later must not ask for an IP taken since.
    delete manifest.spec.clusterIP;
    delete manifest.spec.clusterIPs;
  }
  if (manifest.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      if (manifest[field]) {
        manifest[field] = Object.fromEntries(
          Object.keys(manifest[field]).map(key => [key, REDACTED]),
        );
      }
    }
  }
  return manifest;
}

/**
 * Objects as one multi-document YAML text, keys sorted: a real API server answers with keys in
 * its own order, and a diff must not show a moved key as a change.
 */
export function toYaml(objects: object[]): string {
  return objects
    .map(o => stringify(o, { lineWidth: 0, sortMapEntries: true }))
    .join('---\n');
}

/** What an object is called in diffs and logs: `Kind namespace/name`. */
export function describeObject(object: KubeObject): string {
  const { namespace, name } = object.metadata ?? {};
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** A unified diff from `before` to `after` (either may be absent), both shown as manifests. */
export function diffObjects(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): string {
  const label = describeObject((after ?? before)!);
  return diffText(
    label,
    before ? toYaml([manifestOf(before)]) : '',
    after ? toYaml([manifestOf(after)]) : '',
  );
}

export function diffText(label: string, before: string, after: string): string {
  return createTwoFilesPatch(
    before ? label : '/dev/null',
    after ? label : '/dev/null',
    before,
    after,
    undefined,
    undefined,
    { context: 3 },
  )
    .split('\n')
    .filter(line => !line.startsWith('==='))
    .join('\n');
}
