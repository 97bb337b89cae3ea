import { analyzeYaml } from '../__testUtils__/analyzeYaml';

// The expose-istiod Gateway and VirtualService from Istio's multicluster samples, without the
// east-west gateway's Deployment (installed from another file, as istioctl does).
const EXPOSE_ISTIOD = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: istiod-gateway
  namespace: istio-system
spec:
  selector:
    istio: eastwestgateway
  servers:
    - port:
        name: tls-istiod
        number: 15012
        protocol: tls
      tls:
        mode: PASSTHROUGH
      hosts:
        - "*"
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: cross-network-gateway
  namespace: istio-system
spec:
  selector:
    istio: eastwestgateway
  servers:
    - port:
        number: 15443
        name: tls
        protocol: TLS
      tls:
        mode: AUTO_PASSTHROUGH
      hosts:
        - "*.local"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: istiod-vs
  namespace: istio-system
spec:
  hosts:
  - "*"
  gateways:
  - istiod-gateway
  tls:
  - match:
    - port: 15012
      sniHosts:
      - "*"
    route:
    - destination:
        host: istiod.istio-system.svc.cluster.local
        port:
          number: 15012
`;

describe('a Gateway whose workload is not in the input', () => {
  it('keeps its servers and routes, marked as declared', () => {
    const model = analyzeYaml(EXPOSE_ISTIOD, { source: 'manifests' });
    const gateway = model.gateways.find(g =>
      g.configs.some(c => c.name === 'istiod-gateway'),
    );
    expect(gateway).toMatchObject({
      kind: 'istio',
      origin: 'declared',
      namespace: 'istio-system',
    });
    expect(gateway?.workload).toBeUndefined();
    expect(
      gateway?.listeners.map(l => [l.port, l.protocol, l.hosts, l.tls?.mode]),
    ).toEqual([
      // By Gateway, in the order a cluster lists them (cross-network-gateway, istiod-gateway).
      [15443, 'TLS', ['*.local'], 'AUTO_PASSTHROUGH'],
      [15012, 'TLS', ['*'], 'PASSTHROUGH'],
    ]);
    // Both Gateways select the same proxy: one gateway, east-west by its AUTO_PASSTHROUGH.
    expect(gateway?.name).toBe('selector:istio=eastwestgateway');
    expect(gateway?.configs.map(c => c.name)).toEqual([
      'cross-network-gateway',
      'istiod-gateway',
    ]);
    expect(gateway?.eastWest).toBe(true);
    const route = model.routes.find(r => r.name === 'istiod-vs');
    expect(route?.gateways).toEqual([gateway?.id]);
    expect(route?.destinations.map(d => d.host)).toEqual([
      'istiod.istio-system.svc.cluster.local',
    ]);
  });

  it('says offline that the workload is not in the input, as a warning', () => {
    const model = analyzeYaml(EXPOSE_ISTIOD, { source: 'manifests' });
    const found = model.findings.filter(
      f => f.code === 'GATEWAY_SELECTOR_NO_WORKLOAD',
    );
    expect(found.map(f => f.severity)).toEqual(['warning', 'warning']);
    expect(found[0].message).toContain('no workload in the input');
  });

  it('says live that no gateway pods exist, as an error', () => {
    const model = analyzeYaml(EXPOSE_ISTIOD, { source: 'config' });
    const found = model.findings.filter(
      f => f.code === 'GATEWAY_SELECTOR_NO_WORKLOAD',
    );
    expect(found.map(f => f.severity)).toEqual(['error', 'error']);
    expect(found[0].message).toContain('no gateway pods carry those labels');
  });

  it('ties the Service that selects its pods to it, so the Service entry leads to its routes', () => {
    const model = analyzeYaml(
      `${EXPOSE_ISTIOD}
---
apiVersion: v1
kind: Service
metadata:
  name: istio-eastwestgateway
  namespace: istio-system
spec:
  type: LoadBalancer
  selector:
    app: istio-eastwestgateway
    istio: eastwestgateway
  ports:
  - name: tls-istiod
    port: 15012
`,
      { source: 'manifests' },
    );
    const entry = model.entries.find(e => e.type === 'load-balancer');
    const [gateway] = model.gateways;
    expect(model.gateways).toHaveLength(1);
    expect(gateway.name).toBe('istio-eastwestgateway');
    expect(entry?.gateway).toBe(gateway.id);
    expect(gateway?.services.map(s => s.name)).toEqual([
      'istio-eastwestgateway',
    ]);
    expect(
      model.paths.filter(p => p.entry === entry?.id).map(p => p.route),
    ).toContain('route:c/VirtualService/istio-system/istiod-vs');
  });
});
