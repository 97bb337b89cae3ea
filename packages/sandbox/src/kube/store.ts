import { randomUUID } from 'node:crypto';
import { withDefaults } from './defaults';
import { ResourceType, apiVersionOf, resourceTypeOfCrd } from './resources';
import { kubeErrors } from './status';

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    generateName?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion?: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }>;
    [key: string]: unknown;
  };
  [key: string]: any;
}

/**
 * One stored object. The body is kept serialized (without apiVersion, which depends on the version
 * a client asks through), so large estates stay small in memory and lists are string joins.
 */
export interface StoredEntry {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  revision: number;
  body: string;
}

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  entry: StoredEntry;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Keep creationTimestamp/uid from the manifest (loading an estate). */
  keepMetadata?: boolean;
}

/** Watch events kept for resuming watches (between this and twice as many). */
const HISTORY_LIMIT = 1000;
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The object store of one cluster: one table per resource type, one revision counter. Writes
 * get the API server's defaults; a stored CustomResourceDefinition adds the type it defines.
 */
export class ObjectStore {
  /** Built-in types, then those of the stored CustomResourceDefinitions. */
  readonly types: ResourceType[];
  #revision = 0;
  #compactedRevision = 0;
  readonly #tables = new Map<ResourceType, Map<string, StoredEntry>>();
  readonly #sortedKeys = new Map<ResourceType, string[]>();
  readonly #history: Array<StoreEvent> = [];
  readonly #listeners = new Set<(event: StoreEvent) => void>();

  constructor(types: ResourceType[]) {
    this.types = [...types];
    for (const type of types) {
      this.#tables.set(type, new Map());
    }
  }

  get revision(): number {
    return this.#revision;
  }

  get compactedRevision(): number {
    return this.#compactedRevision;
  }

  /** Forgets history up to now, like etcd compaction: continue tokens issued so far and older watch versions expire. */
  compact(): void {
    this.#compactedRevision = this.#revision;
    this.#history.length = 0;
  }

  type(group: string, plural: string): ResourceType | undefined {
    return this.types.find(t => t.group === group && t.plural === plural);
  }

  typeOfKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find(t => t.group === group && t.kind === kind);
  }

  /** Entries in key order (namespace, then name), optionally of one namespace. */
  entries(type: ResourceType, namespace?: string): StoredEntry[] {
    const table = this.#table(type);
    let keys = this.#sortedKeys.get(type);
    if (!keys) {
      keys = [...table.keys()].sort();
      this.#sortedKeys.set(type, keys);
    }
    const all = keys.map(key => table.get(key)!);
    return namespace === undefined
      ? all
      : all.filter(e => e.namespace === namespace);
  }

  count(type: ResourceType): number {
    return this.#table(type).size;
  }

  getEntry(
    type: ResourceType,
    namespace: string,
    name: string,
  ): StoredEntry | undefined {
    return this.#table(type).get(`${type.namespaced ? namespace : ''}/${name}`);
  }

  get(
    type: ResourceType,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    const entry = this.getEntry(type, namespace, name);
    return entry && this.parse(type, entry);
  }

  list(type: ResourceType, namespace?: string): KubeObject[] {
    return this.entries(type, namespace).map(entry => this.parse(type, entry));
  }

  /** The object as JSON text, read through `version` of its group. */
  serialize(
    type: ResourceType,
    entry: StoredEntry,
    version = type.versions[0],
  ): string {
    return `{"apiVersion":${JSON.stringify(
      apiVersionOf(type.group, version),
    )},${entry.body.slice(1)}`;
  }

  parse(type: ResourceType, entry: StoredEntry, version?: string): KubeObject {
    return JSON.parse(this.serialize(type, entry, version));
  }

  create(
    type: ResourceType,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const { object, metadata } = this.#written(type, input);
    if (!metadata.name && metadata.generateName) {
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    const namespace = this.#namespaceOf(type, metadata.namespace);
    this.#validateName(type, metadata.name);
    if (
      type.namespaced &&
      !this.getEntry(this.type('', 'namespaces')!, '', namespace)
    ) {
      throw kubeErrors.notFound({ group: '', plural: 'namespaces' }, namespace);
    }
    if (this.getEntry(type, namespace, metadata.name)) {
      throw kubeErrors.alreadyExists(type, metadata.name);
    }
    if (!options.keepMetadata || !metadata.uid) metadata.uid = randomUUID();
    if (!options.keepMetadata || !metadata.creationTimestamp)
      metadata.creationTimestamp = now();
    metadata.generation = 1;
    delete metadata.resourceVersion;
    delete metadata.deletionTimestamp;
    return this.#write(type, namespace, object, 'ADDED', options);
  }

  /** Replaces an object; a resourceVersion that is not the current one is a 409 Conflict. */
  update(
    type: ResourceType,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const { object, metadata } = this.#written(type, input);
    const namespace = this.#namespaceOf(type, metadata.namespace);
    const current = metadata?.name
      ? this.get(type, namespace, metadata.name)
      : undefined;
    if (!current) {
      throw kubeErrors.notFound(type, metadata?.name ?? '');
    }
    if (
      metadata.resourceVersion &&
      metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw kubeErrors.conflict(type, metadata.name);
    }
    metadata.uid = current.metadata.uid;
    metadata.creationTimestamp = current.metadata.creationTimestamp;
    metadata.generation =
      (current.metadata.generation ?? 1) +
      (specOf(current) === specOf(object) ? 0 : 1);
    return this.#write(type, namespace, object, 'MODIFIED', options);
  }

  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    options: WriteOptions & {
      preconditions?: { resourceVersion?: string; uid?: string };
    } = {},
  ): KubeObject {
    const key = `${type.namespaced ? namespace : ''}/${name}`;
    const entry = this.#table(type).get(key);
    if (!entry) {
      throw kubeErrors.notFound(type, name);
    }
    const object = this.parse(type, entry);
    const { resourceVersion, uid } = options.preconditions ?? {};
    if (
      (resourceVersion &&
        resourceVersion !== object.metadata.resourceVersion) ||
      (uid && uid !== object.metadata.uid)
    ) {
      throw kubeErrors.conflict(type, name);
    }
    if (options.dryRun) {
      return object;
    }
    if (type.kind === 'Namespace') {
      for (const namespacedType of this.types.filter(t => t.namespaced)) {
        for (const child of this.entries(namespacedType, name)) {
          this.delete(namespacedType, name, child.name);
        }
      }
    }
    if (isCrdType(type)) {
      this.#undefine(name);
    }
    this.#table(type).delete(key);
    this.#sortedKeys.delete(type);
    const revision = ++this.#revision;
    object.metadata.resourceVersion = String(revision);
    this.#emit({
      type: 'DELETED',
      resource: type,
      entry: toEntry(namespace, object, revision),
    });
    return object;
  }

  /** Events after `revision`, or undefined when they were compacted away. */
  eventsSince(revision: number): StoreEvent[] | undefined {
    const oldest = this.#history[0]?.entry.revision ?? this.#revision + 1;
    if (
      revision < this.#compactedRevision ||
      (revision < oldest - 1 && revision < this.#revision)
    ) {
      return undefined;
    }
    return this.#history.filter(event => event.entry.revision > revision);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #write(
    type: ResourceType,
    namespace: string,
    object: KubeObject,
    eventType: 'ADDED' | 'MODIFIED',
    options: WriteOptions,
  ): KubeObject {
    object.apiVersion = apiVersionOf(type.group, type.versions[0]);
    object.kind = type.kind;
    if (type.namespaced) {
      object.metadata.namespace = namespace;
    } else {
      delete object.metadata.namespace;
    }
    if (options.dryRun) {
      return object;
    }
    const revision = ++this.#revision;
    object.metadata.resourceVersion = String(revision);
    const entry = toEntry(namespace, object, revision);
    const table = this.#table(type);
    const key = `${namespace}/${object.metadata.name}`;
    if (!table.has(key)) {
      this.#sortedKeys.delete(type);
    }
    table.set(key, entry);
    this.#emit({ type: eventType, resource: type, entry });
    if (isCrdType(type)) {
      this.#define(object);
    }
    return object;
  }

  /** Serves the kind a CustomResourceDefinition defines; built-in kinds stay as they are. */
  #define(crd: KubeObject) {
    const defined = resourceTypeOfCrd(crd);
    const current = this.types.find(t => t.definedBy === crd.metadata.name);
    if (
      current &&
      defined &&
      current.group === defined.group &&
      current.plural === defined.plural
    ) {
      // The same object, so that open watches and requests keep their type.
      Object.assign(
        current,
        { shortNames: undefined, categories: undefined },
        defined,
      );
      return;
    }
    this.#undefine(crd.metadata.name);
    if (defined && !this.type(defined.group, defined.plural)) {
      this.types.push(defined);
      this.#tables.set(defined, new Map());
    }
  }

  /** A CustomResourceDefinition is gone: so are its objects and its kind. */
  #undefine(crdName: string) {
    const type = this.types.find(t => t.definedBy === crdName);
    if (!type) return;
    for (const entry of this.entries(type)) {
      this.delete(type, entry.namespace, entry.name);
    }
    this.types.splice(this.types.indexOf(type), 1);
    this.#tables.delete(type);
    this.#sortedKeys.delete(type);
  }

  #emit(event: StoreEvent) {
    this.#history.push(event);
    if (this.#history.length > 2 * HISTORY_LIMIT) {
      this.#history.splice(0, this.#history.length - HISTORY_LIMIT);
    }
    for (const listener of this.#listeners) {
      listener(event);
    }
  }

  #table(type: ResourceType): Map<string, StoredEntry> {
    const table = this.#tables.get(type);
    if (!table) {
      throw kubeErrors.unknownResource();
    }
    return table;
  }

  /**
   * What a write stores: a copy of `input` with the server's defaults filled in. Top-level
   * fields and metadata change on that copy; the stored copy is the serialized text.
   */
  #written(type: ResourceType, input: KubeObject) {
    const object = withDefaults(type, {
      ...input,
      metadata: { ...input.metadata },
    });
    return { object, metadata: object.metadata };
  }

  #namespaceOf(type: ResourceType, namespace: string | undefined): string {
    return type.namespaced ? namespace || 'default' : '';
  }

  #validateName(type: ResourceType, name: unknown) {
    if (typeof name !== 'string' || !name) {
      throw kubeErrors.invalid(type, '', [
        {
          field: 'metadata.name',
          type: 'Required',
          detail: 'name or generateName is required',
        },
      ]);
    }
    if (!NAME.test(name)) {
      throw kubeErrors.invalid(type, name, [
        {
          field: 'metadata.name',
          type: 'Invalid',
          value: name,
          detail:
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        },
      ]);
    }
  }
}

function isCrdType(type: ResourceType): boolean {
  return (
    type.group === 'apiextensions.k8s.io' &&
    type.plural === 'customresourcedefinitions'
  );
}

function toEntry(
  namespace: string,
  object: KubeObject,
  revision: number,
): StoredEntry {
  const { apiVersion: _apiVersion, ...rest } = object;
  return {
    namespace,
    name: object.metadata.name,
    labels: object.metadata.labels ?? {},
    revision,
    body: JSON.stringify(rest),
  };
}

/** Everything but metadata and status: what a change of `generation` is about. */
function specOf(object: KubeObject): string {
  const {
    apiVersion: _apiVersion,
    metadata: _metadata,
    status: _status,
    ...rest
  } = object;
  return JSON.stringify(rest);
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let suffix = '';
  for (let i = 0; i < length; i++) {
    suffix +=
      SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  }
  return suffix;
}
