import type { KubeObject, ObjectStore } from '../kube/store';

/**
 * What Istio's sidecar injector webhook does to a new pod: in a namespace labelled
 * `istio-injection=enabled` (revision `default`) or `istio.io/rev=<rev>`, when a
 * `istio-sidecar-injector[-<rev>]` webhook exists, add istio-init and istio-proxy.
 * The proxy image comes from the injector's ConfigMap values when present.
 */
export function injectSidecar(store: ObjectStore, pod: KubeObject): KubeObject {
  const annotations = pod.metadata.annotations ?? {};
  const labels = pod.metadata.labels ?? {};
  if (pod.spec?.hostNetwork || annotations['sidecar.istio.io/status']) {
    return pod;
  }
  if (
    annotations['sidecar.istio.io/inject'] === 'false' ||
    labels['sidecar.istio.io/inject'] === 'false'
  ) {
    return pod;
  }
  const namespaceLabels =
    store.get(store.type('', 'namespaces')!, '', pod.metadata.namespace!)
      ?.metadata.labels ?? {};
  const revision =
    namespaceLabels['istio-injection'] === 'enabled'
      ? 'default'
      : namespaceLabels['istio.io/rev'];
  const webhookName =
    revision === 'default'
      ? 'istio-sidecar-injector'
      : `istio-sidecar-injector-${revision}`;
  const webhooks = store.type(
    'admissionregistration.k8s.io',
    'mutatingwebhookconfigurations',
  )!;
  if (!revision || !store.getEntry(webhooks, '', webhookName)) {
    return pod;
  }
  const image = proxyImage(store, revision);
  const canonicalName =
    labels['service.istio.io/canonical-name'] ??
    labels['app.kubernetes.io/name'] ??
    labels.app ??
    pod.metadata.name;
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: {
        ...labels,
        'security.istio.io/tlsMode': 'istio',
        'service.istio.io/canonical-name': canonicalName,
        'service.istio.io/canonical-revision':
          labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest',
      },
      annotations: {
        ...annotations,
        'sidecar.istio.io/status': JSON.stringify({
          initContainers: ['istio-init'],
          containers: ['istio-proxy'],
          volumes: [
            'istio-envoy',
            'istio-data',
            'istio-podinfo',
            'istio-token',
            'istiod-ca-cert',
          ],
          imagePullSecrets: null,
          revision,
        }),
        'kubectl.kubernetes.io/default-container':
          pod.spec.containers?.[0]?.name,
      },
    },
    spec: {
      ...pod.spec,
      initContainers: [
        ...(pod.spec.initContainers ?? []),
        {
          name: 'istio-init',
          image,
          args: [
            'istio-iptables',
            '-p',
            '15001',
            '-z',
            '15006',
            '-u',
            '1337',
            '-m',
            'REDIRECT',
            '-i',
            '*',
            '-x',
            '',
            '-b',
            '*',
            '-d',
            '15090,15021,15020',
          ],
        },
      ],
      containers: [
        ...(pod.spec.containers ?? []),
        {
          name: 'istio-proxy',
          image,
          args: [
            'proxy',
            'sidecar',
            '--domain',
            '$(POD_NAMESPACE).svc.cluster.local',
          ],
          ports: [
            { name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' },
          ],
          readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 } },
        },
      ],
    },
  };
}

function proxyImage(store: ObjectStore, revision: string): string {
  const configMaps = store.type('', 'configmaps')!;
  const name =
    revision === 'default'
      ? 'istio-sidecar-injector'
      : `istio-sidecar-injector-${revision}`;
  const values = store.get(configMaps, 'istio-system', name)?.data?.values;
  try {
    const global = JSON.parse(values).global;
    if (global?.hub && global?.tag) {
      return `${global.hub}/${global.proxy?.image ?? 'proxyv2'}:${global.tag}`;
    }
  } catch {
    // No injector ConfigMap in the cluster (a managed control plane): fall back to the revision's version.
  }
  return `docker.io/istio/proxyv2:${
    revision === 'default' ? 'latest' : revision.replace(/-/g, '.')
  }`;
}
