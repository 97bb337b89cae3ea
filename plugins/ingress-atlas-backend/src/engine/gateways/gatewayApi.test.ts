import { analyzeYaml } from '../__testUtils__/analyzeYaml';

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
spec:
  gatewayClassName: istio
  listeners:
  - name: web
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: All
  - name: secure
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls:
      mode: Terminate
      certificateRefs:
      - name: wildcard-cert
    allowedRoutes:
      namespaces:
        from: Same
  - name: passthrough
    port: 8443
    protocol: TLS
    tls:
      mode: Passthrough
    allowedRoutes:
      namespaces:
        from: All
  - name: db
    port: 5432
    protocol: TCP
    allowedRoutes:
      namespaces:
        from: All
`;

const route = (kind: string, name: string, namespace: string, spec: string) => `
---
apiVersion: gateway.networking.k8s.io/${
  kind === 'TCPRoute' || kind === 'TLSRoute' ? 'v1alpha2' : 'v1'
}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${spec}`;

describe('Gateway API: listeners, routes and what Istio provisions', () => {
  it('infers the LoadBalancer Service Istio provisions for class istio, marked inferred', () => {
    const model = analyzeYaml(GATEWAY);
    const [gateway] = model.gateways;
    expect(gateway).toMatchObject({
      name: 'shared-istio',
      origin: 'inferred',
      services: [
        expect.objectContaining({ name: 'shared-istio', type: 'LoadBalancer' }),
      ],
    });
    expect(model.entries).toEqual([
      expect.objectContaining({
        type: 'load-balancer',
        gateway: gateway.id,
        network: 'public',
        ports: [15021, 80, 443, 8443, 5432].map(port => ({
          port,
          protocol: 'TCP',
        })),
        notes: [
          expect.stringMatching(
            /^inferred: the Service Istio creates for Gateway infra\/shared/,
          ),
        ],
      }),
    ]);
  });

  it('reads the service type and the annotations Istio copies from the Gateway', () => {
    const clusterIp = analyzeYaml(
      GATEWAY.replace(
        '  namespace: infra\n',
        '  namespace: infra\n  annotations:\n    networking.istio.io/service-type: ClusterIP\n',
      ),
    );
    expect(clusterIp.entries.filter(e => e.type === 'load-balancer')).toEqual(
      [],
    );
    const internal = analyzeYaml(
      GATEWAY.replace(
        '  gatewayClassName: istio\n',
        '  gatewayClassName: istio\n  infrastructure:\n    annotations:\n      networking.gke.io/load-balancer-type: Internal\n',
      ),
    );
    expect(internal.entries[0]).toMatchObject({
      network: 'internal',
      networkReason:
        'annotation networking.gke.io/load-balancer-type: Internal',
    });
  });

  it('attaches routes as allowedRoutes, sectionName, port and hostnames decide', () => {
    const model = analyzeYaml(
      GATEWAY +
        route(
          'HTTPRoute',
          'shop',
          'shop',
          `  parentRefs:
  - name: shared
    namespace: infra
  hostnames: ["shop.example.com", "shop.example.org"]
  rules:
  - backendRefs:
    - name: shop
      port: 8080`,
        ) +
        route(
          'HTTPRoute',
          'secure-only',
          'infra',
          `  parentRefs:
  - name: shared
    sectionName: secure
  hostnames: ["admin.example.com"]
  rules:
  - backendRefs:
    - name: admin
      port: 8080`,
        ) +
        route(
          'GRPCRoute',
          'api',
          'shop',
          `  parentRefs:
  - name: shared
    namespace: infra
    port: 80
  rules:
  - backendRefs:
    - name: grpc-api
      port: 9000`,
        ) +
        route(
          'TLSRoute',
          'passthrough',
          'shop',
          `  parentRefs:
  - name: shared
    namespace: infra
  hostnames: ["tls.example.net"]
  rules:
  - backendRefs:
    - name: tls-backend
      port: 443`,
        ) +
        route(
          'TCPRoute',
          'postgres',
          'db',
          `  parentRefs:
  - name: shared
    namespace: infra
    sectionName: db
  rules:
  - backendRefs:
    - name: postgres
      port: 5432`,
        ) +
        route(
          'HTTPRoute',
          'other-ns-on-same',
          'shop',
          `  parentRefs:
  - name: shared
    namespace: infra
    sectionName: secure
  rules:
  - backendRefs:
    - name: shop
      port: 8080`,
        ),
    );
    const byName = Object.fromEntries(model.routes.map(r => [r.name, r]));
    const gatewayId = model.gateways[0].id;
    // *.example.com on the listener: shop.example.org does not intersect.
    expect(byName.shop).toMatchObject({
      kind: 'HTTPRoute',
      hosts: ['shop.example.com'],
      gateways: [gatewayId],
    });
    expect(byName['secure-only']).toMatchObject({
      hosts: ['admin.example.com'],
      gateways: [gatewayId],
      tls: expect.objectContaining({
        mode: 'SIMPLE',
        secretRef: 'infra/wildcard-cert',
      }),
    });
    expect(byName.api).toMatchObject({
      kind: 'GRPCRoute',
      hosts: ['*.example.com'],
      gateways: [gatewayId],
    });
    expect(byName.passthrough).toMatchObject({
      kind: 'TLSRoute',
      hosts: ['tls.example.net'],
      gateways: [gatewayId],
    });
    expect(byName.postgres).toMatchObject({
      kind: 'TCPRoute',
      gateways: [gatewayId],
    });
    expect(byName.postgres.destinations.map(d => d.host)).toEqual([
      'postgres.db',
    ]);
    // The secure listener admits routes from its own namespace only.
    expect(byName['other-ns-on-same'].gateways).toEqual([]);
  });

  it('follows a backend in another namespace only when a ReferenceGrant there allows it', () => {
    const httpRoute = route(
      'HTTPRoute',
      'shop',
      'shop',
      `  parentRefs:
  - name: shared
    namespace: infra
  rules:
  - backendRefs:
    - name: payments
      namespace: payments
      port: 8080
    - name: shop
      port: 8080`,
    );
    const grant = `
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-shop
  namespace: payments
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: shop
  to:
  - group: ""
    kind: Service
`;
    const hosts = (yaml: string) =>
      analyzeYaml(yaml).routes[0].destinations.map(d => d.host);
    expect(hosts(GATEWAY + httpRoute)).toEqual(['shop.shop']);
    expect(hosts(GATEWAY + httpRoute + grant)).toEqual([
      'payments.payments',
      'shop.shop',
    ]);
  });
});
