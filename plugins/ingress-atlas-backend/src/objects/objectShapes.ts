import {
  COLLECTED_KINDS,
  CollectedKind,
  KubeObject,
  RejectedObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/** A field whose value has the wrong type, e.g. `spec.hosts` holding a number. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * Checks one value found at `field`, adding what is wrong to `problems`. A missing value (absent
 * or null) is always fine here: every field the engine reads is optional to it.
 */
type Check = (value: unknown, field: string, problems: FieldProblem[]) => void;

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'object':
      return 'a mapping';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    default:
      return typeof value;
  }
}

const wrong = (
  problems: FieldProblem[],
  field: string,
  expected: string,
  value: unknown,
) => problems.push({ field, problem: `is ${typeOf(value)}, not ${expected}` });

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const absent = (value: unknown) => value === undefined || value === null;

/** Text the engine calls string methods on (hosts, names, addresses). */
const text: Check = (value, field, problems) => {
  if (!absent(value) && typeof value !== 'string') {
    wrong(problems, field, 'a string', value);
  }
};

/** A number the engine converts with Number(): Istio accepts ports written as strings too. */
const number: Check = (value, field, problems) => {
  if (
    !absent(value) &&
    typeof value !== 'number' &&
    !(typeof value === 'string' && /^\s*\d+\s*$/.test(value))
  ) {
    wrong(problems, field, 'a number', value);
  }
};

/** A Service's targetPort: a port number or the name of a container port. */
const numberOrName: Check = (value, field, problems) => {
  if (
    !absent(value) &&
    typeof value !== 'number' &&
    typeof value !== 'string'
  ) {
    wrong(problems, field, 'a port number or name', value);
  }
};

function list(item: Check): Check {
  return (value, field, problems) => {
    if (absent(value)) return;
    if (!Array.isArray(value)) {
      wrong(problems, field, 'a list', value);
      return;
    }
    for (let index = 0; index < value.length; index++) {
      const element = value[index];
      // An empty element of a list is read like a present one, so it cannot pass as absent.
      if (absent(element))
        problems.push({ field: `${field}[${index}]`, problem: 'is empty' });
      else item(element, `${field}[${index}]`, problems);
    }
  };
}

const REQUIRED = new WeakSet<Check>();

/** A field the engine reads without a fallback, as the API requires it. */
function required(check: Check): Check {
  const wrapped: Check = (value, field, problems) =>
    check(value, field, problems);
  REQUIRED.add(wrapped);
  return wrapped;
}

function mapping(fields: Record<string, Check> = {}): Check {
  const checks = Object.entries(fields);
  return (value, field, problems) => {
    if (absent(value)) return;
    if (!isMapping(value)) {
      wrong(problems, field, 'a mapping', value);
      return;
    }
    for (const [name, check] of checks) {
      const child = value[name];
      // Most fields are absent: their path is not worth building.
      if (!absent(child)) {
        check(child, field ? `${field}.${name}` : name, problems);
      } else if (REQUIRED.has(check)) {
        problems.push({
          field: field ? `${field}.${name}` : name,
          problem: 'is missing',
        });
      }
    }
  };
}

/** Labels, annotations, selectors, ConfigMap data: text keyed by text. */
const textMap: Check = (value, field, problems) => {
  if (absent(value)) return;
  if (!isMapping(value)) {
    wrong(problems, field, 'a mapping of strings', value);
    return;
  }
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (typeof entry !== 'string') {
      // Keys are named, values never: a malformed annotation may still hold something private.
      problems.push({
        field: `${field}.${key}`,
        problem: `is ${typeOf(entry)}, not a string`,
      });
    }
  }
};

const metadata = mapping({
  namespace: text,
  uid: text,
  labels: textMap,
  annotations: textMap,
  ownerReferences: list(
    mapping({ kind: required(text), name: required(text) }),
  ),
});

const labelSelector = mapping({
  matchLabels: textMap,
  matchExpressions: list(
    mapping({ key: text, operator: text, values: list(text) }),
  ),
});

const container = mapping({
  name: text,
  image: text,
  args: list(text),
  command: list(text),
  env: list(mapping({ name: text, value: text })),
  ports: list(
    mapping({ containerPort: number, hostPort: number, protocol: text }),
  ),
  resources: mapping({ requests: mapping(), limits: mapping() }),
});

const configMapRef = mapping({ name: text });

const podSpec = mapping({
  nodeName: text,
  dnsPolicy: text,
  nodeSelector: textMap,
  containers: list(container),
  volumes: list(
    mapping({
      configMap: configMapRef,
      projected: mapping({
        sources: list(mapping({ configMap: configMapRef })),
      }),
    }),
  ),
});

const workload = {
  spec: mapping({
    replicas: number,
    selector: labelSelector,
    template: mapping({
      metadata: mapping({ labels: textMap, annotations: textMap }),
      spec: podSpec,
    }),
  }),
  status: mapping({ desiredNumberScheduled: number }),
};

const loadBalancerStatus = mapping({
  loadBalancer: mapping({
    ingress: list(mapping({ ip: text, hostname: text })),
  }),
});

const ingressBackend = mapping({
  service: mapping({
    name: text,
    port: mapping({ number, name: text }),
  }),
});

const istioRoutes = list(
  mapping({
    route: list(
      mapping({
        destination: mapping({ host: text, port: mapping({ number }) }),
      }),
    ),
  }),
);

/** HTTPRoute, GRPCRoute, TLSRoute and TCPRoute alike: where they attach and what they send to. */
const gatewayApiRoute = {
  spec: mapping({
    parentRefs: list(
      mapping({
        group: text,
        kind: text,
        namespace: text,
        name: text,
        sectionName: text,
        port: number,
      }),
    ),
    hostnames: list(text),
    rules: list(
      mapping({
        backendRefs: list(
          mapping({
            group: text,
            kind: text,
            namespace: text,
            name: text,
            port: number,
          }),
        ),
      }),
    ),
  }),
};

/**
 * What each collected kind must look like where the engine reads it: the type of every field it
 * reads, as the Kubernetes, Istio and Gateway API types define them. Fields it does not read are
 * not checked, so an object another version of an API extends still passes.
 */
const SHAPES: Record<CollectedKind, Record<string, Check>> = {
  namespaces: {},
  nodes: {
    spec: mapping({ providerID: text }),
    status: mapping({
      addresses: list(mapping({ type: text, address: text })),
    }),
  },
  services: {
    spec: mapping({
      type: text,
      selector: textMap,
      clusterIP: text,
      clusterIPs: list(text),
      externalIPs: list(text),
      externalName: text,
      loadBalancerClass: text,
      loadBalancerSourceRanges: list(text),
      ports: list(
        mapping({
          name: text,
          protocol: text,
          port: number,
          nodePort: number,
          targetPort: numberOrName,
        }),
      ),
    }),
    status: loadBalancerStatus,
  },
  endpoints: {
    subsets: list(
      mapping({
        addresses: list(mapping({ ip: text })),
        ports: list(mapping({ port: number })),
      }),
    ),
  },
  pods: {
    spec: podSpec,
    status: mapping({ podIP: text }),
  },
  // stringData only in manifests: the API server folds it into data.
  secrets: { type: text, data: textMap, stringData: textMap },
  configmaps: { data: textMap },
  deployments: workload,
  statefulsets: workload,
  daemonsets: workload,
  ingresses: {
    spec: mapping({
      ingressClassName: text,
      defaultBackend: ingressBackend,
      rules: list(
        mapping({
          host: text,
          http: mapping({
            paths: list(mapping({ path: text, backend: ingressBackend })),
          }),
        }),
      ),
      tls: list(mapping({ hosts: list(text), secretName: text })),
    }),
    status: loadBalancerStatus,
  },
  // Read defensively by the engine (gateways/gatewayApi.ts, routes/, classify/ingresses).
  ingressClasses: {
    spec: mapping({
      controller: text,
      parameters: mapping({ apiGroup: text, kind: text, name: text }),
    }),
  },
  albConfigs: {
    spec: mapping({ config: mapping({ id: text, addressType: text }) }),
  },
  mutatingwebhookconfigurations: {},
  istioGateways: {
    spec: mapping({
      selector: textMap,
      servers: list(
        mapping({
          port: mapping({ number, protocol: text, name: text }),
          hosts: list(text),
          tls: mapping({
            mode: text,
            credentialName: text,
            serverCertificate: text,
          }),
        }),
      ),
    }),
  },
  virtualServices: {
    spec: mapping({
      hosts: list(text),
      gateways: list(text),
      http: istioRoutes,
      tls: istioRoutes,
      tcp: istioRoutes,
    }),
  },
  destinationRules: { spec: mapping({ host: text }) },
  k8sGateways: {
    spec: mapping({
      gatewayClassName: text,
      listeners: list(
        mapping({
          name: text,
          port: number,
          protocol: text,
          hostname: text,
          allowedRoutes: mapping({
            namespaces: mapping({ from: text, selector: labelSelector }),
            kinds: list(mapping({ group: text, kind: text })),
          }),
          tls: mapping({
            mode: text,
            certificateRefs: list(mapping({ name: text, namespace: text })),
          }),
        }),
      ),
    }),
  },
  httpRoutes: gatewayApiRoute,
  grpcRoutes: gatewayApiRoute,
  tlsRoutes: gatewayApiRoute,
  tcpRoutes: gatewayApiRoute,
  referenceGrants: {
    spec: mapping({
      from: list(mapping({ group: text, kind: text, namespace: text })),
      to: list(mapping({ group: text, kind: text, name: text })),
    }),
  },
  istioOperators: {
    spec: mapping({
      profile: text,
      revision: text,
      values: mapping({
        global: mapping({
          meshID: text,
          network: text,
          remotePilotAddress: text,
          multiCluster: mapping({ clusterName: text }),
        }),
        pilot: mapping({ env: mapping() }),
      }),
    }),
  },
  eipClaims: {},
  asmIstioGateways: {
    spec: mapping({ clusterIds: list(text), ports: list(mapping({ port: number, name: text })) }),
  },
};

/**
 * The problems that make an object of `kind` unreadable to the engine; none when it can be
 * analysed. The name is checked first: an object without one cannot be told apart.
 */
export function objectProblems(
  kind: CollectedKind,
  object: unknown,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isMapping(object)) {
    wrong(problems, 'object', 'a mapping', object);
    return problems;
  }
  if (absent(object.metadata)) {
    problems.push({ field: 'metadata', problem: 'is missing' });
    return problems;
  }
  if (!isMapping(object.metadata)) {
    wrong(problems, 'metadata', 'a mapping', object.metadata);
    return problems;
  }
  const name = object.metadata.name;
  if (typeof name !== 'string' || name === '') {
    problems.push({
      field: 'metadata.name',
      problem:
        absent(name) || name === ''
          ? 'is missing'
          : `is ${typeOf(name)}, not a string`,
    });
  }
  metadata(object.metadata, 'metadata', problems);
  mapping(SHAPES[kind])(object, '', problems);
  return problems;
}

/**
 * Checks an object of `kind` as it enters the atlas (read from a cluster or a manifest file):
 * the object when the engine can read it, or what to report instead of it.
 */
export function admitObject(
  kind: CollectedKind,
  object: unknown,
): { object: KubeObject } | { rejected: RejectedObject } {
  const problems = objectProblems(kind, object);
  if (problems.length === 0) return { object: object as KubeObject };
  const raw = (isMapping(object) ? object : {}) as Record<string, any>;
  const meta = isMapping(raw.metadata) ? raw.metadata : {};
  return {
    rejected: {
      kind: COLLECTED_KINDS[kind].kind,
      apiVersion:
        typeof raw.apiVersion === 'string' ? raw.apiVersion : undefined,
      namespace:
        typeof meta.namespace === 'string' ? meta.namespace : undefined,
      name: typeof meta.name === 'string' && meta.name ? meta.name : undefined,
      problems,
    },
  };
}
