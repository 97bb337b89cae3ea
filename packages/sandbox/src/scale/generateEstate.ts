import type { ClusterSpec, LoadedCluster } from '../estate';
import type { KubeObject } from '../kube/store';

export interface ScaleOptions {
  clusters: number;
  servicesPerCluster: number;
  /** Default 20. */
  namespacesPerCluster?: number;
  /** Istio ingress gateways per cluster, each a Deployment, a LoadBalancer Service and a Gateway. Default 4. */
  gatewaysPerCluster?: number;
  /** Services share workloads: one Deployment (one pod) per this many Services. Default 5. */
  servicesPerWorkload?: number;
  /** Same seed, same estate. Default 1. */
  seed?: number;
  /** Cluster i listens on basePort + i. Default 6500. */
  basePort?: number;
}

/**
 * A large, deterministic estate for benchmarks: N clusters, each with namespaces of Services,
 * their workloads, Istio gateways and one VirtualService route per Service. Objects are plain
 * JSON; pods and Endpoints come from the controller as in the demo estates.
 */
export function generateEstate(options: ScaleOptions): LoadedCluster[] {
  const {
    clusters,
    servicesPerCluster,
    namespacesPerCluster = 20,
    gatewaysPerCluster = 4,
    servicesPerWorkload = 5,
    seed = 1,
    basePort = 6500,
  } = options;
  if (
    !(clusters > 0 && clusters <= 200) ||
    !(servicesPerCluster >= 0) ||
    !(namespacesPerCluster > 0)
  ) {
    throw new Error(
      `generateEstate needs 1..200 clusters, servicesPerCluster >= 0 and namespacesPerCluster > 0 (got ${JSON.stringify(
        options,
      )})`,
    );
  }
  return Array.from({ length: clusters }, (_, c) => {
    const random = mulberry32(seed * 1000 + c);
    const name = `scale-${String(c).padStart(3, '0')}`;
    const spec: ClusterSpec = {
      name,
      port: basePort + c,
      provider: 'generic',
      region: `bench-${(c % 3) + 1}`,
      kubernetesVersion: 'v1.30.4',
      podCidr: '10.128.0.0/14',
      serviceCidr: '10.96.0.0/16',
      nodes: Array.from({ length: 6 }, (__, n) => ({
        name: `${name}-node-${n}`,
        internalIp: `10.0.${c % 250}.${10 + n}`,
        ...(n < 2 ? { labels: { 'node-role.kubernetes.io/ingress': '' } } : {}),
      })),
      loadBalancers: Object.fromEntries(
        Array.from({ length: gatewaysPerCluster }, (__, g) => [
          `istio-system/gateway-${g}`,
          `198.18.${c % 250}.${10 + g}`,
        ]),
      ),
    };
    const objects: KubeObject[] = [namespace('istio-system', {})];
    const namespaces = Array.from(
      { length: namespacesPerCluster },
      (__, n) => `team-${String(n).padStart(2, '0')}`,
    );
    namespaces.forEach(ns =>
      objects.push(namespace(ns, { 'istio-injection': 'enabled' })),
    );

    for (let g = 0; g < gatewaysPerCluster; g++) {
      objects.push(...gateway(g, name));
    }
    const workloads = Math.ceil(servicesPerCluster / servicesPerWorkload);
    for (let w = 0; w < workloads; w++) {
      objects.push(workload(namespaces[w % namespaces.length], `app-${w}`));
    }
    for (let s = 0; s < servicesPerCluster; s++) {
      const w = Math.floor(s / servicesPerWorkload);
      const ns = namespaces[w % namespaces.length];
      const svc = `svc-${s}`;
      const port = random() < 0.8 ? 80 : 8080;
      objects.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: svc,
          namespace: ns,
          labels: {
            app: `app-${w}`,
            'app.kubernetes.io/name': svc,
            tier: random() < 0.3 ? 'web' : 'backend',
          },
        },
        spec: {
          type: 'ClusterIP',
          selector: { app: `app-${w}` },
          ports: [{ name: 'http', port, targetPort: 8080, protocol: 'TCP' }],
        },
      });
      const g = s % Math.max(gatewaysPerCluster, 1);
      if (gatewaysPerCluster > 0) {
        objects.push({
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: svc, namespace: ns },
          spec: {
            hosts: [`${svc}.${ns}.gw-${g}.${name}.scale.example.com`],
            gateways: [`istio-system/gateway-${g}`],
            http: [
              {
                route: [
                  {
                    destination: {
                      host: `${svc}.${ns}.svc.cluster.local`,
                      port: { number: port },
                    },
                  },
                ],
              },
            ],
          },
        });
      }
    }
    return { spec, objects };
  });
}

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function workload(ns: string, app: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: ns, labels: { app } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example.com/${app}:1.0.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
    },
  };
}

function gateway(index: number, cluster: string): KubeObject[] {
  const name = `gateway-${index}`;
  const labels = { app: name, istio: name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'istio-system', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels: { ...labels, 'sidecar.istio.io/inject': 'false' },
          },
          spec: {
            containers: [
              {
                name: 'istio-proxy',
                image: 'docker.io/istio/proxyv2:1.22.3',
                args: ['proxy', 'router'],
                ports: [
                  { name: 'http2', containerPort: 8080 },
                  { name: 'https', containerPort: 8443 },
                  { name: 'status-port', containerPort: 15021 },
                ],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'istio-system', labels },
      spec: {
        type: 'LoadBalancer',
        selector: labels,
        ports: [
          { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name, namespace: 'istio-system' },
      spec: {
        selector: { istio: name },
        servers: [
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: [`*.gw-${index}.${cluster}.scale.example.com`],
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-token`, namespace: 'istio-system' },
      type: 'Opaque',
      data: {
        token: Buffer.from(`ATLAS-CANARY-${cluster}-${name}`).toString(
          'base64',
        ),
      },
    },
  ];
}

/** A small seeded PRNG, so the same seed gives the same estate. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
