export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The resources QoS looks at; others (ephemeral-storage, extended resources) do not count. */
const QOS_RESOURCES = ['cpu', 'memory'];

/**
 * A pod's QoS class, as the API server sets it on creation (ComputePodQOS in
 * k8s.io/kubernetes pkg/apis/core/v1/helper/qos): from pod-level resources when the pod sets
 * cpu or memory there, else from all containers and init containers. BestEffort without any
 * cpu or memory request or limit; Guaranteed when every container limits both and the
 * requests (which default to the limits) equal them; Burstable otherwise.
 */
export function podQosClass(podSpec: any): QosClass {
  const podLevel = podSpec?.resources;
  const scopes =
    hasQosResources(podLevel?.requests) || hasQosResources(podLevel?.limits)
      ? [podLevel]
      : [
          ...(Array.isArray(podSpec?.containers) ? podSpec.containers : []),
          ...(Array.isArray(podSpec?.initContainers)
            ? podSpec.initContainers
            : []),
        ].map(container => container?.resources);
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const resources of scopes) {
    const scopeLimits = positive(resources?.limits);
    const scopeRequests = positive({
      ...resources?.limits,
      ...resources?.requests,
    });
    if (!QOS_RESOURCES.every(name => scopeLimits.has(name))) {
      guaranteed = false;
    }
    add(requests, scopeRequests);
    add(limits, scopeLimits);
  }
  if (requests.size === 0 && limits.size === 0) {
    return 'BestEffort';
  }
  const matching = [...requests].every(
    ([name, request]) => limits.get(name) === request,
  );
  return guaranteed && matching && requests.size === limits.size
    ? 'Guaranteed'
    : 'Burstable';
}

function hasQosResources(list: unknown): boolean {
  return positive(list).size > 0;
}

/** The cpu and memory quantities above zero, in nano-units. */
function positive(list: unknown): Map<string, bigint> {
  const found = new Map<string, bigint>();
  if (list && typeof list === 'object') {
    for (const name of QOS_RESOURCES) {
      const amount = parseQuantity((list as Record<string, unknown>)[name]);
      if (amount !== undefined && amount > 0n) found.set(name, amount);
    }
  }
  return found;
}

function add(total: Map<string, bigint>, more: Map<string, bigint>) {
  for (const [name, amount] of more) {
    total.set(name, (total.get(name) ?? 0n) + amount);
  }
}

const BINARY: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/**
 * A resource quantity (`500m`, `0.5`, `1Gi`, `1e3`, or a number) in nano-units, rounded up
 * as the API server rounds what is finer than that; undefined when it is not a quantity.
 */
export function parseQuantity(value: unknown): bigint | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match =
    /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]?)|[eE]([+-]?\d+))$/.exec(
      text.trim(),
    );
  if (!match) return undefined;
  const [, sign, number, binary, decimal, exponent] = match;
  const [whole, fraction = ''] = number.split('.');
  let amount = BigInt(`${whole}${fraction}` || '0');
  let power = 9 - fraction.length;
  if (binary) {
    amount *= 2n ** BigInt(BINARY[binary]);
  } else {
    power += exponent !== undefined ? Number(exponent) : DECIMAL[decimal];
  }
  if (power >= 0) {
    amount *= 10n ** BigInt(power);
  } else {
    const divisor = 10n ** BigInt(-power);
    amount = (amount + divisor - 1n) / divisor;
  }
  return sign === '-' ? -amount : amount;
}
