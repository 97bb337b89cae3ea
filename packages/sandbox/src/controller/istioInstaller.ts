import { parse } from 'yaml';
import type { KubeObject, ObjectStore } from '../kube/store';

/**
 * Plays `istioctl install` for Jobs that run it: reads the IstioOperator the Job mounts from
 * a ConfigMap and creates what istioctl would (istiod of the operator's revision and tag, each
 * enabled ingress gateway with its Service, the `installed-state[-<rev>]` record), then marks
 * the Job complete. A Job whose operator cannot be read is marked failed, as a crashing
 * istioctl would leave it. The controller then gives the Deployments running, Ready pods.
 */
export function runIstioInstallers(store: ObjectStore): void {
  const jobs = store.type('batch', 'jobs')!;
  for (const job of store.list(jobs)) {
    if (job.status?.succeeded || job.status?.failed) {
      continue;
    }
    const container = (job.spec?.template?.spec?.containers ?? []).find(
      (c: any) =>
        /\/istioctl:/.test(c.image ?? '') && (c.args ?? [])[0] === 'install',
    );
    if (!container) {
      continue;
    }
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    try {
      install(store, job, container);
      store.update(jobs, {
        ...job,
        status: {
          succeeded: 1,
          startTime: time,
          completionTime: time,
          conditions: [
            { type: 'Complete', status: 'True', lastTransitionTime: time },
          ],
        },
      });
    } catch (error) {
      store.update(jobs, {
        ...job,
        status: {
          failed: 1,
          startTime: time,
          conditions: [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: (error as Error).message,
              lastTransitionTime: time,
            },
          ],
        },
      });
    }
  }
}

function install(store: ObjectStore, job: KubeObject, container: any): void {
  const namespace = job.metadata.namespace!;
  const file: string = container.args[container.args.indexOf('-f') + 1] ?? '';
  const mount = (container.volumeMounts ?? []).find((m: any) =>
    file.startsWith(`${m.mountPath}/`),
  );
  const volume = (job.spec.template.spec.volumes ?? []).find(
    (v: any) => v.name === mount?.name,
  );
  const configMap = volume?.configMap?.name
    ? store.get(store.type('', 'configmaps')!, namespace, volume.configMap.name)
    : undefined;
  const text = configMap?.data?.[file.slice(mount.mountPath.length + 1)];
  if (!text) {
    throw new Error(`istioctl: open ${file}: no such file or directory`);
  }
  const operator = parse(text);
  const spec = operator?.spec ?? {};
  const hub: string = spec.hub ?? 'docker.io/istio';
  const tag: string = spec.tag ?? '1.22.6';
  const revision: string | undefined = spec.revision;
  const istioNamespace = 'istio-system';

  const upsert = (plural: string, group: string, object: KubeObject) => {
    const type = store.type(group, plural)!;
    const live = store.get(
      type,
      object.metadata.namespace ?? '',
      object.metadata.name,
    );
    if (live) {
      store.update(type, {
        ...object,
        metadata: { ...live.metadata, ...object.metadata },
      });
    } else {
      store.create(type, object);
    }
  };

  upsert('istiooperators', 'install.istio.io', {
    ...operator,
    metadata: {
      ...operator.metadata,
      name: revision ? `installed-state-${revision}` : 'installed-state',
      namespace: istioNamespace,
      annotations: {
        ...operator.metadata?.annotations,
        'install.istio.io/ignoreReconcile': 'true',
      },
    },
  });

  const components = spec.components ?? {};
  if (spec.profile !== 'empty' && components.pilot?.enabled !== false) {
    const name = revision ? `istiod-${revision}` : 'istiod';
    const labels = {
      app: 'istiod',
      istio: 'pilot',
      'istio.io/rev': revision ?? 'default',
    };
    upsert(
      'deployments',
      'apps',
      deployment(name, istioNamespace, labels, {
        name: 'discovery',
        image: `${hub}/pilot:${tag}`,
        ports: [8080, 15010, 15012, 15017].map(port => ({
          containerPort: port,
          protocol: 'TCP',
        })),
      }),
    );
    upsert('services', '', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: istioNamespace, labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'grpc-xds', port: 15010, targetPort: 15010 },
          { name: 'https-dns', port: 15012, targetPort: 15012 },
          { name: 'https-webhook', port: 443, targetPort: 15017 },
        ],
      },
    });
  }

  const gateways: any[] = [...(components.ingressGateways ?? [])];
  if (
    ['default', 'demo', undefined].includes(spec.profile) &&
    !gateways.some(
      g => (g.name ?? 'istio-ingressgateway') === 'istio-ingressgateway',
    )
  ) {
    gateways.push({ name: 'istio-ingressgateway', enabled: true });
  }
  for (const gateway of gateways.filter(g => g.enabled !== false)) {
    const name: string = gateway.name ?? 'istio-ingressgateway';
    const labels = {
      app: name,
      istio: 'ingressgateway',
      ...gateway.label,
    };
    const ports: any[] = gateway.k8s?.service?.ports ?? [
      { name: 'status-port', port: 15021, targetPort: 15021 },
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ];
    const gatewayNamespace = gateway.namespace ?? istioNamespace;
    upsert(
      'deployments',
      'apps',
      deployment(name, gatewayNamespace, labels, {
        name: 'istio-proxy',
        image: `${hub}/proxyv2:${tag}`,
        args: ['proxy', 'router'],
        env: gateway.k8s?.env ?? [],
        ports: ports.map(p => ({
          containerPort: Number(p.targetPort ?? p.port),
          protocol: 'TCP',
        })),
      }),
    );
    upsert('services', '', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name,
        namespace: gatewayNamespace,
        labels,
        ...(gateway.k8s?.serviceAnnotations && {
          annotations: gateway.k8s.serviceAnnotations,
        }),
      },
      spec: { type: 'LoadBalancer', selector: labels, ports },
    });
  }
}

/** A one-replica Deployment of `container`, selecting its pods by `labels`. */
function deployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  container: object,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  };
}
