// The backend's test helpers: shared by its tests and these, not part of its published API.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { analyzeYaml } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/analyzeYaml';
import { formatModel } from './formatModel';

describe('formatModel', () => {
  it('lists every entry, those without routes too, with network, ports and reason', () => {
    const model = analyzeYaml(`
apiVersion: v1
kind: Service
metadata:
  name: grafana
  namespace: monitoring
spec:
  type: LoadBalancer
  selector:
    app: grafana
  ports:
  - port: 3000
    protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: legacy
  namespace: default
  annotations:
    service.kubernetes.io/tke-existed-lbid: lb-0123abcd
spec:
  type: LoadBalancer
  ports:
  - port: 8443
`);
    expect(model.routes).toEqual([]);
    const text = formatModel(model);
    const entries = text.slice(
      text.indexOf('ENTRIES\n'),
      text.indexOf('\n\nEXPOSURE PATHS'),
    );
    const lines = entries.split('\n');
    expect(lines[1]).toMatch(
      /^CLUSTER +ENTRY +NETWORK +GATEWAY +PATHS +WHY THIS NETWORK$/,
    );
    expect(lines[2]).toMatch(
      /^c +Load balancer lb-0123abcd · port 8443 \(default\/legacy\) +unknown +1 +existing load balancer lb-0123abcd \(service.kubernetes.io\/tke-existed-lbid\), no cloud inventory$/,
    );
    expect(lines[3]).toMatch(
      /^c +Load balancer · port 3000 \(monitoring\/grafana\) +public +1 +default: /,
    );
    expect(text).toContain('[ADMIN_PORT_PUBLIC]');
  });
});
