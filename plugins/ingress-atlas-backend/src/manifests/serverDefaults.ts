import {
  CollectedKind,
  KubeObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/*
 * What a Kubernetes API server fills in when an object is created, for the fields the engine
 * reads: an object read from a file then says what the same object read from a cluster says.
 * Only unset fields are filled (Kubernetes' `SetDefaults_ServicePort` and
 * `SetDefaults_ContainerPort`).
 */

type Port = { port?: number; targetPort?: number | string; protocol?: string };

function servicePorts(ports: unknown): unknown {
  if (!Array.isArray(ports)) return ports;
  return ports.map((p: Port) =>
    p && typeof p === 'object'
      ? {
          ...p,
          protocol: p.protocol ?? 'TCP',
          ...(p.targetPort === undefined && p.port !== undefined
            ? { targetPort: p.port }
            : {}),
        }
      : p,
  );
}

export function withServerDefaults(
  kind: CollectedKind,
  object: KubeObject,
): KubeObject {
  if (kind !== 'services' || !object.spec) return object;
  return {
    ...object,
    spec: {
      ...object.spec,
      type: object.spec.type ?? 'ClusterIP',
      ports: servicePorts(object.spec.ports),
    },
  };
}

/** The order a list from the API server has: by namespace, then name, byte by byte as etcd keeps them. */
export function byStorageKey(a: KubeObject, b: KubeObject): number {
  const key = (o: KubeObject) =>
    `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  const ka = key(a);
  const kb = key(b);
  if (ka < kb) return -1;
  return ka > kb ? 1 : 0;
}
