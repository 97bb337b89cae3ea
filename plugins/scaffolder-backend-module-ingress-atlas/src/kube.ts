import type { KubernetesObject } from '@kubernetes/client-node';
import type { ConnectedCluster } from './clusters';
import { describeObject } from './manifests';

/** Any Kubernetes object, as JSON. */
export type KubeObject = KubernetesObject & { [field: string]: any };

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Server-side dry run: admission and validation run, nothing is stored. */
const DRY_RUN_ALL = 'All';
const FIELD_MANAGER = 'ingress-atlas';

export function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A short error for a failed request: the API server's Status message, never the request
 * or response objects (they may hold Secret data).
 */
export function kubeError(error: unknown, what: string): Error {
  const status = httpStatusOf(error);
  if (status === undefined) {
    return new Error(`${what} failed: ${(error as Error)?.message ?? error}`);
  }
  let body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // not a Status: the HTTP code is all there is
    }
  }
  const message =
    typeof body === 'object' && body && 'message' in body
      ? String((body as { message: unknown }).message)
      : `HTTP ${status}`;
  const wrapped = new Error(`${what} failed: ${message}`);
  (wrapped as Error & { code?: number }).code = status;
  return wrapped;
}

/** Objects from the client are class instances; the actions work on plain JSON. */
function plain<T>(object: T): T {
  return JSON.parse(JSON.stringify(object));
}

function header(ref: ObjectRef) {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace },
  };
}

function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The object, or undefined when it does not exist. */
export async function readObject(
  cluster: ConnectedCluster,
  ref: ObjectRef,
): Promise<KubeObject | undefined> {
  try {
    return plain(await cluster.objects.read(header(ref)));
  } catch (error) {
    if (httpStatusOf(error) === 404) {
      return undefined;
    }
    throw kubeError(
      error,
      `Reading ${describeRef(ref)} on cluster ${cluster.name}`,
    );
  }
}

export async function listObjects(
  cluster: ConnectedCluster,
  query: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    labelSelector?: string;
    fieldSelector?: string;
  },
): Promise<KubeObject[]> {
  try {
    const list = await cluster.objects.list(
      query.apiVersion,
      query.kind,
      query.namespace,
      undefined,
      undefined,
      undefined,
      query.fieldSelector,
      query.labelSelector,
    );
    return plain(list.items) as KubeObject[];
  } catch (error) {
    throw kubeError(
      error,
      `Listing ${query.kind} in ${
        query.namespace ?? 'all namespaces'
      } on cluster ${cluster.name}`,
    );
  }
}

/** Whether the cluster serves `kind` in `apiVersion` (CRDs installed, API enabled). */
export async function servesKind(
  cluster: ConnectedCluster,
  apiVersion: string,
  kind: string,
): Promise<boolean> {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  try {
    const list = group
      ? await cluster.custom.getAPIResources({ group, version })
      : await cluster.core.getAPIResources();
    return list.resources.some(r => r.kind === kind && !r.name.includes('/'));
  } catch (error) {
    if (httpStatusOf(error) === 404) {
      return false;
    }
    throw kubeError(
      error,
      `Discovering ${apiVersion} on cluster ${cluster.name}`,
    );
  }
}

export interface WriteOptions {
  /** Sent as `dryRun=All`: the API server validates and answers, and stores nothing. */
  dryRun: boolean;
}

export async function createObject(
  cluster: ConnectedCluster,
  object: KubeObject,
  options: WriteOptions,
): Promise<KubeObject> {
  return writeObject(cluster, object, options, 'create');
}

/** Replaces `object`; its metadata.resourceVersion (when set) guards against lost updates. */
export async function replaceObject(
  cluster: ConnectedCluster,
  object: KubeObject,
  options: WriteOptions,
): Promise<KubeObject> {
  return writeObject(cluster, object, options, 'replace');
}

async function writeObject(
  cluster: ConnectedCluster,
  object: KubeObject,
  { dryRun }: WriteOptions,
  verb: 'create' | 'replace',
): Promise<KubeObject> {
  try {
    return plain(
      await cluster.objects[verb](
        object,
        undefined,
        dryRun ? DRY_RUN_ALL : undefined,
        FIELD_MANAGER,
      ),
    );
  } catch (error) {
    const doing = verb === 'create' ? 'Creating' : 'Replacing';
    throw kubeError(
      error,
      `${dryRun ? `Dry run of ${doing.toLowerCase()}` : doing} ${describeObject(
        object,
      )} on cluster ${cluster.name}`,
    );
  }
}

/** Deletes an object; one already gone counts as deleted. */
export async function deleteObject(
  cluster: ConnectedCluster,
  ref: ObjectRef,
  { dryRun }: WriteOptions,
): Promise<void> {
  try {
    await cluster.objects.delete(
      header(ref),
      undefined,
      dryRun ? DRY_RUN_ALL : undefined,
      undefined,
      undefined,
      'Background',
    );
  } catch (error) {
    if (httpStatusOf(error) === 404) {
      return;
    }
    throw kubeError(
      error,
      `${dryRun ? 'Dry run of deleting' : 'Deleting'} ${describeRef(
        ref,
      )} on cluster ${cluster.name}`,
    );
  }
}

/** Creates the object, or replaces the live one (keeping its resourceVersion). */
export async function createOrReplaceObject(
  cluster: ConnectedCluster,
  desired: KubeObject,
  live: KubeObject | undefined,
  options: WriteOptions,
): Promise<KubeObject> {
  if (!live) {
    return createObject(cluster, desired, options);
  }
  return replaceObject(
    cluster,
    {
      ...desired,
      metadata: {
        ...desired.metadata,
        resourceVersion: live.metadata?.resourceVersion,
      },
    },
    options,
  );
}

/**
 * Whether `live` already holds everything `desired` says: every field of `desired` is present
 * in `live` with the same value (fields the server adds are ignored).
 */
export function containsAll(live: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((item, i) => containsAll(live[i], item))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) {
      return false;
    }
    return Object.entries(desired).every(([key, value]) =>
      value === undefined
        ? true
        : containsAll((live as Record<string, unknown>)[key], value),
    );
  }
  return live === desired;
}

/** A `key=value,...` selector from matchLabels. */
export function labelSelectorOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('Cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('Cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
