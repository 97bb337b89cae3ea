import { analyzeYaml } from '../__testUtils__/analyzeYaml';

const ingress = (
  name: string,
  extra: {
    className?: string;
    annotations?: Record<string, string>;
    tls?: boolean;
  } = {},
) => `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: web
  annotations: ${JSON.stringify(extra.annotations ?? {})}
spec:
${extra.className ? `  ingressClassName: ${extra.className}\n` : ''}${
  extra.tls
    ? '  tls:\n  - hosts: [www.example.com]\n    secretName: www-tls\n'
    : ''
}  rules:
  - host: www.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: www
            port:
              number: 80
`;

function entryOf(
  yaml: string,
  provider: 'tencent' | 'aliyun' | 'huawei' | 'generic' = 'generic',
) {
  const model = analyzeYaml(yaml, { provider });
  expect(model.entries).toHaveLength(1);
  const [entry] = model.entries;
  return { entry, model };
}

describe('Ingress through its class', () => {
  it('TKE: a CLB per Ingress, public unless a subnet is given, unknown when reusing one', () => {
    const plain = entryOf(
      ingress('a', {
        annotations: { 'kubernetes.io/ingress.class': 'qcloud' },
        tls: true,
      }),
      'tencent',
    );
    expect(plain.entry).toMatchObject({
      network: 'public',
      networkReason: expect.stringMatching(
        /^default: TKE's Ingress controller creates a public CLB/,
      ),
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP' },
      ],
    });
    expect(plain.model.gateways[0]).toMatchObject({ origin: 'inferred' });
    expect(plain.model.paths.map(p => p.host)).toEqual(['www.example.com']);
    expect(
      entryOf(
        ingress('a', {
          annotations: {
            'kubernetes.io/ingress.class': 'qcloud',
            'kubernetes.io/ingress.subnetId': 'subnet-1',
          },
        }),
        'tencent',
      ).entry.network,
    ).toBe('internal');
    expect(
      entryOf(
        ingress('a', {
          annotations: { 'kubernetes.io/ingress.existLbId': 'lb-1' },
        }),
        'tencent',
      ).entry,
    ).toMatchObject({
      network: 'unknown',
      networkReason:
        'existing load balancer lb-1 (kubernetes.io/ingress.existLbId), no cloud inventory',
    });
  });

  it("Aliyun ALB: the IngressClass's AlbConfig addressType decides, for every Ingress of the class", () => {
    const albConfig = (addressType: string) => `
---
apiVersion: alibabacloud.com/v1
kind: AlbConfig
metadata:
  name: alb-demo
spec:
  config:
    name: alb-test
    addressType: ${addressType}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: alb
spec:
  controller: ingress.k8s.alibabacloud/alb
  parameters:
    apiGroup: alibabacloud.com
    kind: AlbConfig
    name: alb-demo
`;
    const internal = entryOf(
      albConfig('Intranet') +
        ingress('a', { className: 'alb' }) +
        ingress('b', { className: 'alb' }),
      'aliyun',
    );
    expect(internal.entry).toMatchObject({
      network: 'internal',
      networkReason: 'AlbConfig alb-demo addressType: Intranet',
    });
    expect(internal.model.routes.map(r => r.gateways)).toEqual([
      [internal.entry.gateway],
      [internal.entry.gateway],
    ]);
    expect(
      entryOf(
        albConfig('Internet') + ingress('a', { className: 'alb' }),
        'aliyun',
      ).entry.network,
    ).toBe('public');
  });

  it('AWS ALB: internal unless the scheme is internet-facing (the controller default)', () => {
    expect(entryOf(ingress('a', { className: 'alb' })).entry).toMatchObject({
      network: 'internal',
      networkReason: expect.stringMatching(
        /^default: the AWS load balancer controller creates internal ALBs/,
      ),
    });
    expect(
      entryOf(
        ingress('a', {
          className: 'alb',
          annotations: {
            'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          },
        }),
      ).entry.network,
    ).toBe('public');
  });

  it('Huawei CCE: an ELB created inner is internal, an existing one unknown', () => {
    expect(
      entryOf(
        ingress('a', {
          annotations: {
            'kubernetes.io/ingress.class': 'cce',
            'kubernetes.io/elb.autocreate': '{"type":"inner"}',
          },
        }),
        'huawei',
      ).entry.network,
    ).toBe('internal');
    expect(
      entryOf(
        ingress('a', {
          annotations: {
            'kubernetes.io/ingress.class': 'cce',
            'kubernetes.io/elb.id': '0b9a6c4d',
          },
        }),
        'huawei',
      ).entry.network,
    ).toBe('unknown');
  });

  it('an in-cluster controller recognised from its IngressClass: its Service decides the entry', () => {
    const yaml = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: internal-nginx
spec:
  controller: example.com/internal-nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: internal-controller
  namespace: ingress
spec:
  selector:
    matchLabels: {app: internal-controller}
  template:
    metadata:
      labels: {app: internal-controller}
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.11.0
        args: [/nginx-ingress-controller, --controller-class=example.com/internal-nginx, --ingress-class=internal-nginx]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: other-controller
  namespace: ingress
spec:
  selector:
    matchLabels: {app: other-controller}
  template:
    metadata:
      labels: {app: other-controller}
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.11.0
        args: [/nginx-ingress-controller, --controller-class=k8s.io/ingress-nginx]
---
apiVersion: v1
kind: Service
metadata:
  name: internal-controller
  namespace: ingress
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  selector: {app: internal-controller}
  ports:
  - {name: http, port: 80}
${ingress('a', { className: 'internal-nginx' })}`;
    const model = analyzeYaml(yaml);
    const route = model.routes[0];
    expect(route.gateways).toEqual(['gateway:c/ingress/internal-controller']);
    expect(model.paths.map(p => [p.host, p.network])).toEqual([
      ['www.example.com', 'internal'],
    ]);
  });

  it('reads extensions/v1beta1 Ingresses and their serviceName/servicePort backends', () => {
    const model = analyzeYaml(
      `
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  namespace: web
  annotations:
    kubernetes.io/ingress.class: qcloud
spec:
  rules:
  - host: old.example.com
    http:
      paths:
      - path: /
        backend:
          serviceName: old-web
          servicePort: 8080
`,
      { provider: 'tencent' },
    );
    expect(model.routes[0]).toMatchObject({
      kind: 'Ingress',
      hosts: ['old.example.com'],
      destinations: [
        expect.objectContaining({ host: 'old-web.web', port: 8080 }),
      ],
    });
  });
});
