import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  CloudProvider,
  Gateway,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects, refOf, Workload } from '../kube/ClusterObjects';
import { ids } from '../types';
import { GatewayDetector } from './GatewaySet';
import { tlsInfo } from './tls';
import { cloudIngressController } from './cloudIngresses';

export function ingressConfigKey(namespace: string, name: string) {
  return `ingress/${namespace}/${name}`;
}

const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

/** An Ingress's class: its field, the older annotation, else the IngressClass marked default. */
export function ingressClassOf(
  ingress: KubeObject,
  objects?: ClusterObjects,
): string | undefined {
  return (
    ingress.spec?.ingressClassName ??
    ingress.metadata.annotations?.['kubernetes.io/ingress.class'] ??
    objects
      ?.list('ingressClasses')
      .find(c => c.metadata.annotations?.[DEFAULT_CLASS] === 'true')?.metadata
      .name
  );
}

/**
 * The ports a cloud's load balancer listens on for an Ingress: the AWS controller's
 * `listen-ports` (`[{"HTTP": 80}, {"HTTPS": 443}]`) when given, else 80, and 443 with TLS.
 */
function listenPorts(ingress: KubeObject): number[] {
  const raw =
    ingress.metadata.annotations?.['alb.ingress.kubernetes.io/listen-ports'];
  if (raw) {
    try {
      const ports = (JSON.parse(raw) as unknown[]).flatMap(entry =>
        Object.values(entry as Record<string, unknown>).map(Number),
      );
      if (ports.length > 0 && ports.every(Number.isFinite)) return ports;
    } catch {
      // An annotation that is not JSON: the controller rejects it; fall back to the defaults.
    }
  }
  return (ingress.spec?.tls ?? []).length > 0 ? [80, 443] : [80];
}

/** ingress-nginx's controller class when it is started without --controller-class. */
const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

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
  const ingressClass = ingressClassOf(ingress, objects);
  // The IngressClass names the controller; a controller started with that class serves it.
  const classObject = ingressClass
    ? objects.get('ingressClasses', undefined, ingressClass)
    : undefined;
  const controllerName: string | undefined = classObject?.spec?.controller;
  if (
    controllerName === 'istio.io/ingress-controller' ||
    ingressClass === 'istio'
  ) {
    return objects.workloads.find(
      w => w.templateLabels.istio === 'ingressgateway',
    );
  }
  const controllers = objects.workloads.filter(looksLikeIngressController);
  const byController =
    controllerName &&
    controllers.find(
      w =>
        servesClass(w, controllerName) ||
        (controllerName === NGINX_CONTROLLER &&
          !containerArgs(w).some(a => a.startsWith('--controller-class='))),
    );
  if (byController) return byController;
  const byClass =
    ingressClass && controllers.find(w => servesClass(w, ingressClass));
  if (byClass) return byClass;
  // A class a cloud serves is not the lone in-cluster controller's.
  if (
    cloudIngressController(
      ingressClass,
      classObject,
      objects.inventory.cluster.provider as CloudProvider,
    )
  ) {
    return undefined;
  }
  return controllers.length === 1 ? controllers[0] : undefined;
}

/** Gateways serving Ingress objects, with the listeners the Ingresses ask for. */
export const addIngressControllers: GatewayDetector = (set, objects, now) => {
  for (const ingress of objects.list('ingresses')) {
    const namespace = ingress.metadata.namespace ?? 'default';
    const named = ingressClassOf(ingress, objects);
    const ingressClass = named ?? 'default';
    const controller = ingressController(objects, ingress);
    let gateway: Gateway;
    if (controller) {
      gateway =
        set.byWorkload(controller) ??
        set.forWorkload(controller, 'ingress-controller');
    } else {
      // A controller outside the cluster (a cloud's ALB/CLB/ELB Ingress).
      const classObject = named
        ? objects.get('ingressClasses', undefined, named)
        : undefined;
      const cloud = cloudIngressController(
        named,
        classObject,
        objects.inventory.cluster.provider as CloudProvider,
      );
      const key = cloud?.loadBalancerKey(ingress, ingressClass);
      gateway =
        cloud && key && !key.startsWith('class/')
          ? set.forConfig(
              namespace,
              `ingress-${key.replace(/\//g, '-')}`,
              'ingress-controller',
              ids.gateway(objects.name, 'ingress', key),
            )
          : set.forConfig(
              '',
              `ingress-class-${ingressClass}`,
              'ingress-controller',
              ids.gateway(objects.name, 'ingress-class', ingressClass),
            );
      const known = set.cloudIngresses.get(gateway.id) ?? {
        addresses: new Set<string>(),
        ports: new Set<number>(),
      };
      if (cloud && !known.reach) {
        gateway.origin = 'inferred';
        gateway.originNote = `${
          cloud.name
        } creates a ${cloud.loadBalancerKind.toUpperCase()} for Ingress class ${ingressClass}`;
        known.reach = cloud.reach(ingress, objects, classObject);
        known.loadBalancerKind = cloud.loadBalancerKind;
      }
      for (const i of ingress.status?.loadBalancer?.ingress ?? []) {
        if (i.ip ?? i.hostname) known.addresses.add(i.ip ?? i.hostname);
      }
      for (const port of listenPorts(ingress)) known.ports.add(port);
      set.cloudIngresses.set(gateway.id, known);
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
};
