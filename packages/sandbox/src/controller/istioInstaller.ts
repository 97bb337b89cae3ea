import { parse } from 'yaml';
import { splitApiVersion } from '../kube/resources';
import type { KubeObject, ObjectStore } from '../kube/store';

/**
 * Plays `istioctl install` for Jobs that run it: reads the IstioOperator the Job mounts from
 * a ConfigMap and creates what istioctl would (istiod of the operator's revision and tag, each
 * enabled ingress gateway with its Service, the `installed-state[-<rev>]` record), then marks
 * the Job complete. A Job whose operator cannot be read is marked failed, as a crashing
 * istioctl would leave it. The controller then gives the Deployments running, Ready pods.
 * With `runMs`, an install takes that long after the Job was created (a real one takes a
 * minute or so): until then the Job is active. Returns how long until the next pending Job is
 * due, if one is.
 */
export function runIstioInstallers(
  store: ObjectStore,
  runMs = 0,
  now = Date.now(),
): number | undefined {
  const jobs = store.type('batch', 'jobs')!;
  let nextDue: number | undefined;
  for (const job of store.list(jobs)) {
    if (job.status?.succeeded || job.status?.failed) {
      continue;
    }
    if (!istioctlInstallFile(job.spec?.template?.spec)) {
      continue;
    }
    const created =
      job.metadata.creationTimestamp ?? new Date(now).toISOString();
    const due = Date.parse(created) + runMs - now;
    if (due > 0) {
      nextDue = Math.min(nextDue ?? due, due);
      if (!job.status?.active) {
        store.update(jobs, {
          ...job,
          status: { active: 1, startTime: created },
        });
      }
      continue;
    }
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    try {
      install(store, job);
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
  return nextDue;
}

/**
 * The IstioOperator file an `istioctl install -f <file>` container of `podSpec` reads, as the
 * ConfigMap mounted at its folder and the key; undefined when no container runs istioctl
 * install.
 */
export function istioctlInstallFile(
  podSpec: any,
): { configMap?: string; key: string; file: string } | undefined {
  const container = (podSpec?.containers ?? []).find(
    (c: any) =>
      /\/istioctl:/.test(c.image ?? '') && (c.args ?? [])[0] === 'install',
  );
  if (!container) {
    return undefined;
  }
  const file: string = container.args[container.args.indexOf('-f') + 1] ?? '';
  const mount = (container.volumeMounts ?? []).find((m: any) =>
    file.startsWith(`${m.mountPath}/`),
  );
  const volume = (podSpec.volumes ?? []).find(
    (v: any) => v.name === mount?.name,
  );
  return {
    configMap: volume?.configMap?.name,
    key: mount ? file.slice(mount.mountPath.length + 1) : file,
    file,
  };
}

/**
 * What `istioctl install -f <file>` creates for the IstioOperator in `text`: the
 * `installed-state[-<rev>]` record, the reader ServiceAccount (every profile but `empty`),
 * istiod of the operator's revision and tag (not with the `remote` profile), and each enabled
 * ingress gateway with its Service (the default and demo profiles add `istio-ingressgateway`).
 * Throws as istioctl fails when there is no file to read.
 */
export function istioctlInstall(
  text: string | undefined,
  file: string,
): KubeObject[] {
  if (!text) {
    throw new Error(`istioctl: open ${file}: no such file or directory`);
  }
  const operator = parse(text);
  const spec = operator?.spec ?? {};
  const hub: string = spec.hub ?? 'docker.io/istio';
  const tag: string = spec.tag ?? '1.22.6';
  const revision: string | undefined = spec.revision;
  const istioNamespace = 'istio-system';
  const objects: KubeObject[] = [
    {
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
    },
  ];

  const components = spec.components ?? {};
  if (spec.profile !== 'empty') {
    // Istio's base chart: the account a primary's istiod reads this cluster with.
    objects.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'istio-reader-service-account',
        namespace: istioNamespace,
        labels: { app: 'istio-reader', release: 'istio' },
      },
    });
  }
  // The remote profile runs no istiod: the cluster's proxies and webhook use a primary's.
  const pilot =
    components.pilot?.enabled ??
    !['empty', 'remote'].includes(spec.profile ?? 'default');
  if (pilot) {
    const name = revision ? `istiod-${revision}` : 'istiod';
    const labels = {
      app: 'istiod',
      istio: 'pilot',
      'istio.io/rev': revision ?? 'default',
    };
    objects.push(
      deployment(name, istioNamespace, labels, {
        name: 'discovery',
        image: `${hub}/pilot:${tag}`,
        ports: [8080, 15010, 15012, 15017].map(port => ({
          containerPort: port,
          protocol: 'TCP',
        })),
      }),
      {
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
      },
    );
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
    objects.push(
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
      {
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
      },
    );
  }
  return objects;
}

/** Runs the install of `job` against the store: creates or updates what istioctl would. */
function install(store: ObjectStore, job: KubeObject): void {
  const namespace = job.metadata.namespace!;
  const { configMap, key, file } = istioctlInstallFile(job.spec.template.spec)!;
  const text = configMap
    ? store.get(store.type('', 'configmaps')!, namespace, configMap)?.data?.[
        key
      ]
    : undefined;
  for (const object of istioctlInstall(text, file)) {
    const [group] = splitApiVersion(object.apiVersion!);
    const type = store.typeOfKind(group, object.kind!)!;
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
