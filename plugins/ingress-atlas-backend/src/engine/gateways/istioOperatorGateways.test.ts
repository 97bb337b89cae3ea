import { analyzeYaml } from '../__testUtils__/analyzeYaml';

describe('IstioOperator: the control plane, gateways and Services it declares', () => {
  it('a nameless default-profile IstioOperator declares istiod and a public ingress gateway on 15021, 80 and 443', () => {
    const model = analyzeYaml(`
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  values:
    global:
      meshID: mesh1
      multiCluster:
        clusterName: cluster1
      network: network1
`);
    expect(model.controlPlanes).toEqual([
      expect.objectContaining({
        kind: 'istiod',
        revision: 'default',
        meshId: 'mesh1',
        clusterName: 'cluster1',
        network: 'network1',
        evidence: [
          expect.objectContaining({
            kind: 'IstioOperator',
            name: 'installed-state',
          }),
        ],
      }),
    ]);
    expect(model.gateways).toEqual([
      expect.objectContaining({
        namespace: 'istio-system',
        name: 'istio-ingressgateway',
        origin: 'declared',
      }),
    ]);
    expect(model.entries).toEqual([
      expect.objectContaining({
        type: 'load-balancer',
        network: 'public',
        ports: [15021, 80, 443].map(port => ({ port, protocol: 'TCP' })),
        notes: [
          expect.stringMatching(
            /^declared: the Service IstioOperator installed-state installs/,
          ),
        ],
      }),
    ]);
  });

  it('reads components: a disabled default gateway, an east-west gateway with its Service type, ports and annotations', () => {
    const model = analyzeYaml(
      `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: eastwest
  namespace: istio-system
spec:
  revision: 1-22
  profile: empty
  components:
    ingressGateways:
      - name: istio-eastwestgateway
        label:
          istio: eastwestgateway
          app: istio-eastwestgateway
          topology.istio.io/network: network1
        enabled: true
        k8s:
          serviceAnnotations:
            service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-abc
          service:
            ports:
              - name: status-port
                port: 15021
              - name: tls
                port: 15443
              - name: tls-istiod
                port: 15012
              - name: tls-webhook
                port: 15017
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
`,
      { provider: 'tencent' },
    );
    expect(model.controlPlanes).toEqual([]);
    expect(model.gateways).toHaveLength(1);
    const [gateway] = model.gateways;
    expect(gateway).toMatchObject({
      name: 'istio-eastwestgateway',
      origin: 'declared',
      eastWest: true,
      listeners: [
        expect.objectContaining({
          port: 15443,
          tls: expect.objectContaining({ mode: 'AUTO_PASSTHROUGH' }),
        }),
      ],
    });
    expect(gateway.configs.map(c => c.kind)).toEqual([
      'IstioOperator',
      'Gateway',
    ]);
    expect(model.entries).toEqual([
      expect.objectContaining({
        network: 'internal',
        networkReason:
          'annotation service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-abc',
        ports: [15021, 15443, 15012, 15017].map(port => ({
          port,
          protocol: 'TCP',
        })),
      }),
    ]);
    // istiod's ports on an east-west gateway are not flagged.
    expect(model.findings.map(f => f.code)).not.toContain('ADMIN_PORT_PUBLIC');
  });

  it('takes the gateway ports of the Istio version installed (1.5 still had the add-on ports)', () => {
    const model = analyzeYaml(`
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: old
  namespace: istio-system
spec:
  tag: 1.5.10
`);
    expect(model.entries[0].ports.map(p => p.port)).toEqual([
      15020, 80, 443, 15029, 15030, 15031, 15032, 31400, 15443, 15011,
    ]);
    expect(
      model.findings.find(f => f.code === 'ADMIN_PORT_PUBLIC')?.message,
    ).toContain('15029 (Kiali');
  });

  it('declares nothing the input already shows running', () => {
    const model = analyzeYaml(`
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: demo
  namespace: istio-system
spec:
  profile: demo
---
apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  type: NodePort
  selector:
    istio: ingressgateway
  ports:
  - port: 80
    nodePort: 30080
`);
    // demo adds the egress gateway (ClusterIP: no entry); the ingress gateway's Service is the one read.
    expect(model.gateways.map(g => [g.name, g.origin])).toEqual([
      ['istio-egressgateway', 'declared'],
    ]);
    expect(model.entries.map(e => e.type)).toEqual(['node-port']);
  });
});
