import type { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ConnectedCluster } from './clusters';
import { describeObject } from './manifests';

export type { KubeObject };

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Server-side dry run: admission and validation run, nothing is stored. */
const DRY_RUN_ALL = 'All';
/**
 * Who owns the fields the actions set (metadata.managedFields): each action is a field manager
 * of its own, `ingress-atlas-<action>`, so that what one action applies never removes fields
 * another one set (server-side apply removes the fields a manager set before and no longer
 * names: the pod-EIP move's Service ports, say, when remove-lb applies the Service's type).
 */
export const FIELD_MANAGER = 'ingress-atlas';

/** The field manager of an action, e.g. `ingress-atlas-gateway-remove-lb`. */
export function fieldManagerOf(actionId: string): string {
  return actionId.replace(/:/g, '-');
}
const SERVER_SIDE_APPLY = 'application/apply-patch+yaml';

export function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A short error for a failed request: what was done to which object, the HTTP status and the
 * API server's reason and message; never the request or response objects (they may hold
 * Secret data), nor a stack.
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
  const { message, reason } = (
    typeof body === 'object' && body ? body : {}
  ) as { message?: unknown; reason?: unknown };
  const wrapped = new Error(
    `${what} failed: ${
      typeof message === 'string' ? message : 'no message'
    } (HTTP ${status}${typeof reason === 'string' ? ` ${reason}` : ''})`,
  );
  (wrapped as Error & { code?: number }).code = status;
  return wrapped;
}

/**
 * Objects from the client are class instances (timestamps as Dates); the actions work on
 * plain JSON, as the API server sends it.
 */
function plain(object: KubernetesObject): KubeObject {
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
    // A list's items carry no apiVersion and kind of their own: each gets the list's.
    return list.items.map(item => ({
      ...plain(item),
      apiVersion: query.apiVersion,
      kind: query.kind,
    }));
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

/**
 * Runs one write of `cluster`; its failure names it, e.g. "Creating Service a/b on cluster c"
 * or "Dry run of creating Service a/b on cluster c" (`doing` is "creating Service a/b").
 */
async function write<T>(
  cluster: ConnectedCluster,
  { dryRun }: WriteOptions,
  doing: string,
  fn: (dryRunParam: string | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await fn(dryRun ? DRY_RUN_ALL : undefined);
  } catch (error) {
    const what = dryRun
      ? `Dry run of ${doing}`
      : `${doing[0].toUpperCase()}${doing.slice(1)}`;
    throw kubeError(error, `${what} on cluster ${cluster.name}`);
  }
}

/** {@link write} of a request the server answers with the object as it stands after it. */
async function writeObject(
  cluster: ConnectedCluster,
  options: WriteOptions,
  doing: string,
  send: (dryRunParam: string | undefined) => Promise<KubernetesObject>,
): Promise<KubeObject> {
  return plain(await write(cluster, options, doing, send));
}

export async function createObject(
  cluster: ConnectedCluster,
  object: KubeObject,
  options: WriteOptions,
): Promise<KubeObject> {
  return writeObject(
    cluster,
    options,
    `creating ${describeObject(object)}`,
    dryRun =>
      cluster.objects.create(
        object as KubernetesObject,
        undefined,
        dryRun,
        cluster.fieldManager,
      ),
  );
}

/**
 * Server-side apply of `object` as the action's own field manager (`ingress-atlas-<action>`,
 * see {@link fieldManagerOf}): the server sets the fields
 * `object` names and leaves every other field alone (others' labels, annotations, finalizers,
 * ownerReferences); a field the actions set before and no longer name is removed. Creates the
 * object when it does not exist. `force` takes over fields another manager set (the actions
 * change those on purpose, after their preflight); the answer is the object as stored.
 */
export async function applyObject(
  cluster: ConnectedCluster,
  object: KubeObject,
  options: WriteOptions,
): Promise<KubeObject> {
  const { metadata = {}, ...rest } = object;
  const {
    resourceVersion: _resourceVersion,
    managedFields: _managedFields,
    uid: _uid,
    creationTimestamp: _creationTimestamp,
    generation: _generation,
    ...ownMetadata
  } = metadata as Record<string, unknown>;
  return writeObject(
    cluster,
    options,
    `applying ${describeObject(object)}`,
    dryRun =>
      cluster.objects.patch(
        { ...rest, metadata: ownMetadata } as KubernetesObject,
        undefined,
        dryRun,
        cluster.fieldManager,
        true,
        SERVER_SIDE_APPLY,
      ),
  );
}

/**
 * What a server-side apply of only `spec` sends for `object`: its kind, name and those fields.
 * Applied by an action's own field manager, it changes them and leaves the rest of the object
 * (and its owners' fields) as it was.
 */
export function onlySpec(
  object: KubeObject,
  spec: Record<string, unknown>,
): KubeObject {
  const { name, namespace } = object.metadata!;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, namespace },
    spec,
  };
}

/**
 * Removes map keys that server-side apply cannot: keys another manager set in a map whose
 * meaning the action now owns (a stale nodeSelector key keeps a pod off every node it should
 * go to). A JSON merge patch with `null` for each key; nothing else is touched.
 */
export async function removeMapKeys(
  cluster: ConnectedCluster,
  object: ObjectRef,
  path: string[],
  keys: string[],
  options: WriteOptions,
): Promise<KubeObject> {
  const body = path.reduceRight<Record<string, unknown>>(
    (inner, field) => ({ [field]: inner }),
    Object.fromEntries(keys.map(key => [key, null])),
  );
  return writeObject(
    cluster,
    options,
    `removing ${path.join('.')} ${keys.join(', ')} of ${describeRef(object)}`,
    dryRun =>
      cluster.objects.patch(
        { ...header(object), ...body },
        undefined,
        dryRun,
        cluster.fieldManager,
        undefined,
        'application/merge-patch+json',
      ),
  );
}

/** Deletes an object; one already gone counts as deleted. */
export async function deleteObject(
  cluster: ConnectedCluster,
  ref: ObjectRef,
  options: WriteOptions,
): Promise<void> {
  await write(
    cluster,
    options,
    `deleting ${describeRef(ref)}`,
    async dryRun => {
      try {
        await cluster.objects.delete(
          header(ref),
          undefined,
          dryRun,
          undefined,
          undefined,
          'Background',
        );
      } catch (error) {
        if (httpStatusOf(error) !== 404) {
          throw error;
        }
      }
    },
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
