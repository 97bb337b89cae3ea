import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { ClusterObjects } from '../kube/ClusterObjects';

/** The multi-cluster settings Istio is installed with. */
export interface IstioValues {
  meshId?: string;
  network?: string;
  clusterName?: string;
  profile?: string;
  remotePilotAddress?: string;
  externalIstiod?: boolean;
  /** The proxy image tag the injector uses, i.e. the control plane's version. */
  version?: string;
}

export function revisionOf(object: KubeObject): string | undefined {
  return object.metadata.labels?.['istio.io/rev'];
}

/** The IstioOperator installing `revision` (its `spec.revision`, empty meaning `default`). */
export function istioOperatorFor(
  objects: ClusterObjects,
  revision: string,
): KubeObject | undefined {
  return objects
    .list('istioOperators')
    .find(
      iop =>
        (iop.spec?.revision || 'default') === revision &&
        iop.spec?.values?.global,
    );
}

function fromGlobal(global: any, profile?: string): IstioValues {
  if (!global) return { profile };
  return {
    meshId: global.meshID,
    network: global.network || undefined,
    clusterName: global.multiCluster?.clusterName,
    profile,
    remotePilotAddress: global.remotePilotAddress,
    externalIstiod: global.externalIstiod === true,
    version: versionFromTag(global.tag),
  };
}

function injectorValues(
  objects: ClusterObjects,
  namespace: string,
  revision: string,
) {
  const name =
    revision === 'default'
      ? 'istio-sidecar-injector'
      : `istio-sidecar-injector-${revision}`;
  const raw = objects.get('configmaps', namespace, name)?.data?.values;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw)?.global;
  } catch {
    return undefined;
  }
}

function env(
  deployment: KubeObject | undefined,
  name: string,
): string | undefined {
  for (const container of deployment?.spec?.template?.spec?.containers ?? []) {
    const found = (container.env ?? []).find((e: any) => e.name === name);
    if (found?.value) return found.value;
  }
  return undefined;
}

/**
 * Reads meshID, network and cluster name the way they were installed: the IstioOperator
 * first, then the injector's values, then istiod's environment.
 */
export function istioValues(
  objects: ClusterObjects,
  namespace: string,
  revision: string,
  istiod?: KubeObject,
): IstioValues {
  const iop = istioOperatorFor(objects, revision);
  const fromIop = fromGlobal(iop?.spec?.values?.global, iop?.spec?.profile);
  const fromInjector = fromGlobal(injectorValues(objects, namespace, revision));
  return {
    meshId: fromIop.meshId ?? fromInjector.meshId,
    network: fromIop.network ?? fromInjector.network,
    clusterName:
      fromIop.clusterName ??
      fromInjector.clusterName ??
      env(istiod, 'CLUSTER_ID'),
    profile: fromIop.profile,
    remotePilotAddress:
      fromIop.remotePilotAddress ?? fromInjector.remotePilotAddress,
    version: fromIop.version ?? fromInjector.version,
    externalIstiod:
      fromIop.externalIstiod ||
      iop?.spec?.values?.pilot?.env?.EXTERNAL_ISTIOD === true ||
      iop?.spec?.values?.pilot?.env?.EXTERNAL_ISTIOD === 'true',
  };
}

/** `1.22.6.41-g1b4a7e1d-aliyun` -> `1.22.6`. */
export function versionFromTag(tag: unknown): string | undefined {
  return typeof tag === 'string'
    ? tag.match(/^\d+\.\d+(\.\d+)?/)?.[0]
    : undefined;
}

/** `docker.io/istio/pilot:1.18.5-distroless` -> `1.18.5`. */
export function versionFromImage(
  image: string | undefined,
): string | undefined {
  return versionFromTag(image?.split('@')[0].split(':')[1]);
}

/** Revisions are often the version with dashes (`1-10-3`). */
export function versionFromRevision(revision: string): string | undefined {
  return /^\d+-\d+(-\d+)?$/.test(revision)
    ? revision.replace(/-/g, '.')
    : undefined;
}
