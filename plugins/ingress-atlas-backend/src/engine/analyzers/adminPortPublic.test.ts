import { analyzeYaml } from '../__testUtils__/analyzeYaml';

function gatewayService(
  name: string,
  istio: string,
  ports: number[],
  annotations: Record<string, string> = {},
) {
  return `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: istio-system
  annotations: ${JSON.stringify(annotations)}
spec:
  type: LoadBalancer
  selector:
    istio: ${istio}
  ports:
${ports.map(p => `  - name: p${p}\n    port: ${p}`).join('\n')}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: istio-system
spec:
  replicas: 2
  selector:
    matchLabels:
      istio: ${istio}
  template:
    metadata:
      labels:
        istio: ${istio}
    spec:
      containers:
      - name: istio-proxy
`;
}

const admin = (yaml: string) =>
  analyzeYaml(yaml).findings.filter(f => f.code === 'ADMIN_PORT_PUBLIC');

describe('ADMIN_PORT_PUBLIC: admin and telemetry ports on a public entry', () => {
  it("flags the old Istio ingress gateway's add-on ports, Envoy admin and stats, but not 15021", () => {
    const found = admin(
      gatewayService(
        'istio-ingressgateway',
        'ingressgateway',
        [15021, 80, 443, 15029, 15030, 15031, 15032, 15443, 15000, 15090],
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toBe(
      'Public load-balancer istio-system/istio-ingressgateway in c exposes 15000 (Envoy admin), 15029 (Kiali (old Istio gateway add-on port)), 15030 (Prometheus (old Istio gateway add-on port)), 15031 (Grafana (old Istio gateway add-on port)), 15032 (tracing (old Istio gateway add-on port)), 15090 (Envoy Prometheus stats) to the internet',
    );
  });

  it("leaves istiod's 15012 and 15017 and 15443 alone on an east-west gateway", () => {
    expect(
      admin(
        gatewayService(
          'istio-eastwestgateway',
          'eastwestgateway',
          [15021, 15443, 15012, 15017],
        ),
      ),
    ).toEqual([]);
  });

  it('flags istiod ports on an ingress gateway, and Grafana, Prometheus, Kiali, Jaeger anywhere public', () => {
    expect(
      admin(
        gatewayService('istio-ingressgateway', 'ingressgateway', [443, 15012]),
      ).map(f => f.severity),
    ).toEqual(['error']);
    expect(
      admin(gatewayService('monitoring', 'x', [3000, 9090, 16686, 20001]))[0]
        ?.message,
    ).toContain(
      '3000 (Grafana), 9090 (Prometheus), 16686 (Jaeger UI), 20001 (Kiali)',
    );
  });

  it('says nothing of an internal entry', () => {
    expect(
      admin(
        gatewayService('istio-ingressgateway', 'ingressgateway', [15000], {
          'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid':
            'subnet-1',
        }),
      ),
    ).toEqual([]);
  });
});
