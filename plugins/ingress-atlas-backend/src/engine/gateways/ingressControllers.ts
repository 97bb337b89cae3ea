import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { Gateway } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects, refOf, Workload } from '../kube/ClusterObjects';
import { ids } from '../types';
import { GatewaySet } from './GatewaySet';
import { tlsInfo } from './tls';

export function ingressConfigKey(namespace: string, name: string) {
  return `ingress/${namespace}/${name}`;
}

export function ingressClassOf(ingress: KubeObject): string | undefined {
  return (
    ingress.spec?.ingressClassName ??
    ingress.metadata.annotations?.['kubernetes.io/ingress.class']
  );
}

function containerArgs(workload: Workload): string[] {
  return (workload.podSpec?.containers ?? []).flatMap((c: any) => [
    ...(c.args ?? []),
    ...(c.command ?? []),
  ]);
}

function looksLikeIngressController(workload: Workload): boolean {
  const args = containerArgs(workload).join(' ');
  const images = (workload.podSpec?.containers ?? [])
    .map((c: any) => c.image ?? '')
    .join(' ');
  return (
    /--(ingress-class|controller-class|election-id)\b/.test(args) ||
    /ingress-nginx|nginx-ingress|ingress-controller/.test(images) ||
    /ingress-nginx|nginx-ingress/.test(
      `${workload.templateLabels.app ?? ''} ${
        workload.templateLabels['app.kubernetes.io/name'] ?? ''
      }`,
    )
  );
}

function servesClass(workload: Workload, ingressClass: string): boolean {
  return containerArgs(workload).some(arg => {
    const value = arg.match(/^--(?:ingress-class|controller-class)=(.+)$/)?.[1];
    return (
      value !== undefined &&
      (value === ingressClass || value.endsWith(`/${ingressClass}`))
    );
  });
}

/**
 * The proxy serving an Ingress: the workload behind the address the Ingress reports, else the
 * controller that claims its class, else the only controller in the cluster.
 */
export function ingressController(
  objects: ClusterObjects,
  ingress: KubeObject,
): Workload | undefined {
  const reported: string[] = (ingress.status?.loadBalancer?.ingress ?? [])
    .map((i: any) => i.ip ?? i.hostname)
    .filter(Boolean);
  for (const service of objects.list('services')) {
    const addresses = (service.status?.loadBalancer?.ingress ?? []).map(
      (i: any) => i.ip ?? i.hostname,
    );
    if (addresses.some((a: string) => reported.includes(a))) {
      const [workload] = objects.workloadsSelectedBy(service);
      if (workload) return workload;
    }
  }
  const ingressClass = ingressClassOf(ingress);
  if (ingressClass === 'istio') {
    return objects.workloads.find(
      w => w.templateLabels.istio === 'ingressgateway',
    );
  }
  const controllers = objects.workloads.filter(looksLikeIngressController);
  return (
    (ingressClass
      ? controllers.find(w => servesClass(w, ingressClass))
      : undefined) ?? (controllers.length === 1 ? controllers[0] : undefined)
  );
}

/** Gateways serving Ingress objects, with the listeners the Ingresses ask for. */
export function addIngressControllers(
  set: GatewaySet,
  objects: ClusterObjects,
  now: Date,
) {
  for (const ingress of objects.list('ingresses')) {
    const namespace = ingress.metadata.namespace ?? 'default';
    const ingressClass = ingressClassOf(ingress) ?? 'default';
    const controller = ingressController(objects, ingress);
    let gateway: Gateway;
    if (controller) {
      gateway =
        set.byWorkload(controller) ??
        set.forWorkload(controller, 'ingress-controller');
    } else {
      // A controller outside the cluster (a cloud's ALB/ELB ingress): known only by its class.
      gateway = set.forConfig(
        '',
        `ingress-class-${ingressClass}`,
        'ingress-controller',
        ids.gateway(objects.name, 'ingress-class', ingressClass),
      );
      const reported = set.statusAddresses.get(gateway.id) ?? new Set<string>();
      for (const i of ingress.status?.loadBalancer?.ingress ?? []) {
        if (i.ip ?? i.hostname) reported.add(i.ip ?? i.hostname);
      }
      set.statusAddresses.set(gateway.id, reported);
    }
    set.addConfig(gateway, {
      kind: 'IngressClass',
      name: ingressClass,
      cluster: objects.name,
    });
    set.bind(ingressConfigKey(namespace, ingress.metadata.name), gateway);

    const source = refOf(ingress, objects.name, 'Ingress');
    const hosts: string[] = (ingress.spec?.rules ?? [])
      .map((r: any) => r.host ?? '*')
      .map((h: string) => h.toLowerCase());
    if (hosts.length > 0) {
      gateway.listeners.push({ port: 80, protocol: 'HTTP', hosts, source });
    }
    for (const tls of ingress.spec?.tls ?? []) {
      gateway.listeners.push({
        port: 443,
        protocol: 'HTTPS',
        hosts: (tls.hosts ?? hosts).map((h: string) => h.toLowerCase()),
        tls: tlsInfo(objects, now, {
          credentialName: tls.secretName,
          secretNamespace: namespace,
        }),
        source,
      });
    }
  }
}
