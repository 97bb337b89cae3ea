import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  ControlPlane,
  ObjectRef,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects, refOf } from '../kube/ClusterObjects';
import { CloudIndex } from '../cloud/CloudIndex';
import { ids } from '../types';
import {
  istioValues,
  revisionOf,
  versionFromImage,
  versionFromRevision,
} from './istioValues';
import { Managed, managedMarker } from './managedMarkers';
import { rootCaFingerprint } from './rootCa';
import { ISTIO_PROFILES } from './istioProfiles';

const ISTIOD_NAME = /^istiod(-(.+))?$/;
const INJECTOR_NAME = /^istio-sidecar-injector(-(.+))?$/;
const TAG_WEBHOOK = /^istio-revision-tag-(.+)$/;

function isIstiodDeployment(d: KubeObject) {
  return (
    d.metadata.labels?.app === 'istiod' || ISTIOD_NAME.test(d.metadata.name)
  );
}

function revisionFromName(name: string, pattern: RegExp) {
  return name.match(pattern)?.[2];
}

/** The control planes of one cluster by revision, as the phases of detection find them. */
class PlaneSet {
  readonly #planes = new Map<string, ControlPlane>();

  constructor(private readonly cluster: string) {}

  get size() {
    return this.#planes.size;
  }

  has(revision: string) {
    return this.#planes.has(revision);
  }

  get(revision: string) {
    return this.#planes.get(revision);
  }

  list() {
    return [...this.#planes.values()];
  }

  /** The plane of `revision`, made with `init` if it is new; `evidence` is added either way. */
  add(
    revision: string,
    init: Pick<ControlPlane, 'kind' | 'role'> & Partial<ControlPlane>,
    evidence: ObjectRef[],
  ): ControlPlane {
    const existing = this.#planes.get(revision);
    if (existing) {
      existing.evidence.push(...evidence);
      return existing;
    }
    const plane: ControlPlane = {
      id: ids.controlPlane(this.cluster, revision),
      cluster: this.cluster,
      revision,
      tags: [],
      eastWestGateways: [],
      remoteSecretLinks: [],
      evidence,
      ...init,
    };
    this.#planes.set(revision, plane);
    return plane;
  }
}

/**
 * Finds the control planes serving one cluster: istiod revisions running in it, control planes
 * a cloud runs for it (TCM, ASM), remote and external ones, with their tags and settings.
 * Cross-cluster links (remote -> primary) are made later, once every cluster is known.
 */
export function detectControlPlanes(
  objects: ClusterObjects,
  cloud: CloudIndex,
): ControlPlane[] {
  const planes = new PlaneSet(objects.name);
  const istiods = addRunningIstiods(objects, planes);
  addCloudManagedPlanes(objects, cloud, planes, istiods);
  addRemotePlanes(objects, planes);
  addExternalPlanes(objects, planes);
  if (planes.size === 0) addDeclaredPlanes(objects, planes);
  addRevisionTags(objects, planes);
  for (const plane of planes.list()) {
    settle(objects, plane, istiods.get(plane.revision));
  }
  return planes.list();
}

/** istiod running in the cluster, by revision. */
function addRunningIstiods(
  objects: ClusterObjects,
  planes: PlaneSet,
): Map<string, KubeObject> {
  const istiods = new Map<string, KubeObject>();
  for (const d of objects.list('deployments').filter(isIstiodDeployment)) {
    const revision =
      revisionOf(d) ??
      revisionFromName(d.metadata.name, ISTIOD_NAME) ??
      'default';
    istiods.set(revision, d);
    const image = d.spec?.template?.spec?.containers?.[0]?.image;
    planes.add(
      revision,
      {
        kind: 'istiod',
        role: 'primary',
        namespace: d.metadata.namespace,
        version:
          versionFromImage(image) ??
          d.metadata.labels?.['operator.istio.io/version'],
      },
      [refOf(d, objects.name, 'Deployment')],
    );
  }
  return istiods;
}

/**
 * Objects a cloud's control plane marks as its own, by revision. Gateways and Services a cloud
 * installs often carry no revision: they belong to its one.
 */
function managedObjects(
  objects: ClusterObjects,
): Map<string, { managed: Managed; evidence: ObjectRef[] }> {
  const cluster = objects.name;
  const marked = new Map<string, { managed: Managed; evidence: ObjectRef[] }>();
  const unrevisioned: Array<{ managed: Managed; ref: ObjectRef }> = [];
  for (const [kind, list] of Object.entries(objects.inventory.objects)) {
    for (const object of list ?? []) {
      const managed = managedMarker(object);
      if (!managed || kind === 'secrets') continue;
      const revision =
        revisionOf(object) ??
        (kind === 'services'
          ? revisionFromName(object.metadata.name, ISTIOD_NAME)
          : undefined);
      if (!revision) {
        unrevisioned.push({ managed, ref: refOf(object, cluster) });
        continue;
      }
      const entry = marked.get(revision) ?? { managed, evidence: [] };
      entry.evidence.push(refOf(object, cluster));
      marked.set(revision, entry);
    }
  }
  for (const { managed, ref } of unrevisioned) {
    const revision =
      [...marked.keys()].find(r => marked.get(r)!.managed === managed) ??
      'default';
    const entry = marked.get(revision) ?? { managed, evidence: [] };
    entry.evidence.push(ref);
    marked.set(revision, entry);
  }
  return marked;
}

/**
 * Control planes a cloud runs: the cloud's mesh list is authoritative, in-cluster marks
 * otherwise. A revision with its istiod running in the cluster is not the cloud's.
 */
function addCloudManagedPlanes(
  objects: ClusterObjects,
  cloud: CloudIndex,
  planes: PlaneSet,
  istiods: Map<string, KubeObject>,
) {
  const marked = managedObjects(objects);
  const meshes = cloud.meshesOf(objects.inventory.cluster.cloudClusterId);
  for (const { mesh, member } of meshes) {
    const managed: Managed = mesh.item.kind === 'asm' ? 'asm' : 'tcm';
    const revision =
      [...marked.keys()].find(r => marked.get(r)?.managed === managed) ??
      mesh.item.version?.replace(/\./g, '-') ??
      'default';
    if (istiods.has(revision)) continue;
    planes.add(
      revision,
      {
        kind: managed,
        managed,
        role: member.role,
        namespace: 'istio-system',
        version: mesh.item.version,
        managedMeshId: mesh.item.id,
      },
      [
        { kind: 'ManagedMesh', name: mesh.item.id },
        ...(marked.get(revision)?.evidence ?? []),
      ],
    );
    marked.delete(revision);
  }
  for (const [revision, { managed, evidence }] of marked) {
    if (istiods.has(revision)) continue;
    planes.add(
      revision,
      {
        kind: managed,
        managed,
        role: 'primary',
        namespace: 'istio-system',
        version: versionFromRevision(revision),
      },
      evidence,
    );
  }
}

/** Remotes: istiod reached through a selector-less Service (+ Endpoints) or a remote profile. */
function addRemotePlanes(objects: ClusterObjects, planes: PlaneSet) {
  const cluster = objects.name;
  for (const service of objects.list('services')) {
    const revision =
      revisionFromName(service.metadata.name, ISTIOD_NAME) ?? 'default';
    const isRemoteService =
      (service.metadata.name === 'istiod' ||
        service.metadata.name.startsWith('istiod-')) &&
      !service.spec?.selector &&
      !managedMarker(service);
    if (
      !isRemoteService ||
      planes.has(revision === 'remote' ? 'default' : revision)
    )
      continue;
    const endpoints = objects.get(
      'endpoints',
      service.metadata.namespace,
      service.metadata.name,
    );
    const address =
      service.spec?.externalName ??
      endpoints?.subsets?.[0]?.addresses?.[0]?.ip ??
      endpoints?.subsets?.[0]?.addresses?.[0]?.hostname;
    planes.add(
      revision === 'remote' ? 'default' : revision,
      {
        kind: 'remote',
        role: 'remote',
        namespace: service.metadata.namespace,
        remotePilotAddress: address,
      },
      [
        refOf(service, cluster, 'Service'),
        ...(endpoints ? [refOf(endpoints, cluster, 'Endpoints')] : []),
      ],
    );
  }
  for (const iop of objects.list('istioOperators')) {
    if (iop.spec?.profile !== 'remote') continue;
    const revision = iop.spec?.revision || 'default';
    const plane = planes.add(
      revision,
      { kind: 'remote', role: 'remote', namespace: iop.metadata.namespace },
      [refOf(iop, cluster, 'IstioOperator')],
    );
    plane.remotePilotAddress ??= iop.spec?.values?.global?.remotePilotAddress;
  }
}

/** Injectors whose istiod is nowhere in the cluster: an external control plane. */
function addExternalPlanes(objects: ClusterObjects, planes: PlaneSet) {
  for (const webhook of objects.list('mutatingwebhookconfigurations')) {
    const name = webhook.metadata.name;
    if (!INJECTOR_NAME.test(name)) continue;
    const revision =
      revisionOf(webhook) ?? revisionFromName(name, INJECTOR_NAME) ?? 'default';
    const ref = refOf(webhook, objects.name, 'MutatingWebhookConfiguration');
    if (planes.has(revision)) {
      planes.get(revision)!.evidence.push(ref);
      continue;
    }
    planes.add(
      revision,
      {
        kind: 'external',
        role: 'external',
        version: versionFromRevision(revision),
      },
      [ref],
    );
  }
}

/**
 * Nothing running, but an IstioOperator installs istiod (a GitOps repository holding only the
 * IstioOperator): the control plane it declares.
 */
function addDeclaredPlanes(objects: ClusterObjects, planes: PlaneSet) {
  for (const iop of objects.list('istioOperators')) {
    const profile = iop.spec?.profile ?? 'default';
    const pilot = iop.spec?.components?.pilot?.enabled;
    if (
      profile === 'remote' ||
      !(ISTIO_PROFILES[profile] ?? ISTIO_PROFILES.default).pilot ||
      pilot === false
    ) {
      continue;
    }
    planes.add(
      iop.spec?.revision || 'default',
      {
        kind: 'istiod',
        role: 'primary',
        namespace: iop.metadata.namespace ?? 'istio-system',
      },
      [refOf(iop, objects.name, 'IstioOperator')],
    );
  }
}

/** Revision tags (`istio-revision-tag-<tag>` webhooks) on the planes they point at. */
function addRevisionTags(objects: ClusterObjects, planes: PlaneSet) {
  for (const webhook of objects.list('mutatingwebhookconfigurations')) {
    const tag =
      webhook.metadata.labels?.['istio.io/tag'] ??
      webhook.metadata.name.match(TAG_WEBHOOK)?.[1];
    const revision = revisionOf(webhook);
    if (!tag || !revision || !webhook.metadata.name.match(TAG_WEBHOOK))
      continue;
    const plane = planes.get(revision);
    if (plane && !plane.tags.includes(tag)) plane.tags.push(tag);
  }
}

/** A plane's settings, root of trust and remote-secret links; its evidence once each. */
function settle(
  objects: ClusterObjects,
  plane: ControlPlane,
  istiod: KubeObject | undefined,
) {
  const namespace = plane.namespace ?? 'istio-system';
  const values = istioValues(objects, namespace, plane.revision, istiod);
  plane.meshId ??= values.meshId;
  plane.network ??= values.network;
  plane.clusterName ??= values.clusterName;
  plane.version ??= values.version;
  plane.remotePilotAddress ??=
    plane.kind === 'remote' ? values.remotePilotAddress : undefined;
  plane.rootCaFingerprint = rootCaFingerprint(
    rootCertOf(objects, plane, namespace),
  );
  if (plane.role !== 'remote') {
    plane.remoteSecretLinks = remoteSecretClusters(objects);
  }
  plane.evidence = uniqueRefs(plane.evidence);
}

/**
 * Clusters named by `istioctl create-remote-secret` Secrets. Only the name is read: the data is
 * a kubeconfig and never reaches the engine.
 */
export function remoteSecretClusters(objects: ClusterObjects): string[] {
  return objects
    .list('secrets')
    .filter(s => s.metadata.labels?.['istio/multiCluster'] === 'true')
    .map(
      s =>
        s.metadata.annotations?.['networking.istio.io/cluster'] ??
        s.metadata.name.replace(/^istio-remote-secret-/, ''),
    )
    .sort();
}

function uniqueRefs(refs: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return refs.filter(ref => {
    const key = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The root certificate a control plane distributes: in a namespace it injects (by revision or
 * tag), else in its own namespace, else the only one in the cluster.
 */
function rootCertOf(
  objects: ClusterObjects,
  plane: ControlPlane,
  namespace: string,
) {
  const roots = objects
    .list('configmaps')
    .filter(c => c.metadata.name === 'istio-ca-root-cert');
  const revisions = [plane.revision, ...plane.tags];
  const injected = (ns?: string) => {
    const labels =
      objects.get('namespaces', undefined, ns ?? '')?.metadata.labels ?? {};
    return labels['istio.io/rev']
      ? revisions.includes(labels['istio.io/rev'])
      : revisions.includes('default') &&
          labels['istio-injection'] === 'enabled';
  };
  return (
    roots.find(c => injected(c.metadata.namespace)) ??
    roots.find(c => c.metadata.namespace === namespace) ??
    (roots.length === 1 ? roots[0] : undefined)
  );
}
