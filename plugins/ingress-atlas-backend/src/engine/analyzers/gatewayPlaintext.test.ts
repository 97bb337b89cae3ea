import { analyzeYaml } from '../__testUtils__/analyzeYaml';

/** ingress-nginx's controller behind a public load balancer, and an Ingress without tls. */
const nginxIngress = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  type: LoadBalancer
  selector:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/component: controller
  ports:
  - { name: http, port: 80, targetPort: http }
  - { name: https, port: 443, targetPort: https }
status:
  loadBalancer:
    ingress: [{ ip: 203.0.113.50 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
      app.kubernetes.io/component: controller
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ingress-nginx
        app.kubernetes.io/component: controller
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.11.3
        args: [/nginx-ingress-controller, --ingress-class=nginx]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: { name: shop, port: { number: 80 } }
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop
spec:
  selector: { app: shop }
  ports: [{ port: 80 }]
`;

describe('GATEWAY_PLAINTEXT_PUBLIC', () => {
  it("advises an Ingress's spec.tls, without Istio's HTTPS template, for an nginx Ingress", () => {
    const found = analyzeYaml(nginxIngress).findings.filter(
      f => f.code === 'GATEWAY_PLAINTEXT_PUBLIC',
    );
    expect(found).toHaveLength(1);
    expect(found[0].fix).toBe(
      'Add a spec.tls entry for shop.example.com to Ingress shop/shop, with a TLS Secret in shop (for example from cert-manager); the controller then serves HTTPS and, as ingress-nginx does by default, redirects HTTP to it.',
    );
    expect(found[0].fix).not.toContain('credentialName');
    expect(found[0].templateRef).toBeUndefined();
    expect(found[0].objects).toContainEqual(
      expect.objectContaining({
        kind: 'Ingress',
        name: 'shop',
        namespace: 'shop',
      }),
    );
  });
});
