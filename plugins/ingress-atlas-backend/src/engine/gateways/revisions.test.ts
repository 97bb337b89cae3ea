import { analyzeYaml } from '../__testUtils__/analyzeYaml';

const istiod = (revision: string) => `
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod-${revision}
  namespace: istio-system
  labels: {app: istiod, istio.io/rev: ${revision}}
spec:
  selector: {matchLabels: {app: istiod, istio.io/rev: ${revision}}}
  template:
    metadata: {labels: {app: istiod, istio.io/rev: ${revision}}}
    spec:
      containers: [{name: discovery, image: docker.io/istio/pilot:${revision.replace(
        /-/g,
        '.',
      )}.0}]
`;

const gateway = (
  namespace: string,
  podLabels: Record<string, string>,
  serviceSelector: Record<string, string> = {},
) => `
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gw, namespace: ${namespace}}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: ${JSON.stringify({
      istio: 'ingressgateway',
      ...podLabels,
    })}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: v1
kind: Service
metadata: {name: gw, namespace: ${namespace}}
spec:
  type: ClusterIP
  selector: ${JSON.stringify({ istio: 'ingressgateway', ...serviceSelector })}
  ports: [{port: 80}]
`;

const namespace = (name: string, labels: Record<string, string>) => `
---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
`;

// Revision tag prod -> 1-22, as istioctl tag set writes it.
const TAG = `
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-prod
  labels: {istio.io/tag: prod, istio.io/rev: 1-22}
webhooks: []
`;

const planeOf = (yaml: string) =>
  analyzeYaml(istiod('1-20') + istiod('1-22') + TAG + yaml).gateways[0]
    ?.controlPlane;

describe('revisions from every signal', () => {
  it("reads the gateway pods' istio.io/rev label", () => {
    expect(planeOf(gateway('gw', { 'istio.io/rev': '1-20' }))).toBe(
      'controlPlane:c/1-20',
    );
  });

  it('reads the istio.io/rev of the Service that selects a gateway whose pods are not in the input', () => {
    const yaml = `
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: gw}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: v1
kind: Service
metadata: {name: gw, namespace: gw}
spec:
  type: ClusterIP
  selector: {istio: ingressgateway, istio.io/rev: 1-22}
  ports: [{port: 80}]
`;
    expect(planeOf(yaml)).toBe('controlPlane:c/1-22');
  });

  it("reads the namespace's istio.io/rev, a revision tag included", () => {
    expect(
      planeOf(namespace('gw', { 'istio.io/rev': 'prod' }) + gateway('gw', {})),
    ).toBe('controlPlane:c/1-22');
  });

  it('says nothing when two revisions run and no signal picks one', () => {
    expect(
      planeOf(
        namespace('gw', { 'istio-injection': 'enabled' }) + gateway('gw', {}),
      ),
    ).toBeUndefined();
  });
});
