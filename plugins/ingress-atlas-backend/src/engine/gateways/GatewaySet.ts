import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  Gateway,
  GatewayKind,
  ObjectRef,
  ServiceRef,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  ClusterObjects,
  summarizeWorkload,
  Workload,
} from '../kube/ClusterObjects';
import { ids } from '../types';
import { Reach } from '../classify/loadBalancers';

export function serviceRef(cluster: string, service: KubeObject): ServiceRef {
  return {
    cluster,
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
    type: service.spec?.type ?? 'ClusterIP',
  };
}

/**
 * Adds the gateways one kind of configuration declares (Istio Gateways, Gateway API
 * Gateways, Ingresses) to `set`; `now` dates the certificates their listeners serve.
 */
export type GatewayDetector = (
  set: GatewaySet,
  objects: ClusterObjects,
  now: Date,
) => void;

/**
 * The gateways of one cluster as they are discovered: one per proxy workload (several
 * configuration objects may configure the same proxy), or per configuration object when
 * its proxy is not in the inventory.
 */
export class GatewaySet {
  readonly #gateways = new Map<string, Gateway>();
  readonly #workloads = new Map<string, Workload>();
  readonly #bindings = new Map<string, string[]>();
  /**
   * Ingress gateways a controller outside the cluster runs (a cloud's ALB/CLB/ELB Ingress), by
   * gateway id: the addresses their Ingresses report, their ports, and, when the controller is
   * known, the network it gives the load balancer and why.
   */
  readonly cloudIngresses = new Map<
    string,
    {
      addresses: Set<string>;
      ports: Set<number>;
      reach?: Reach;
      loadBalancerKind?: string;
    }
  >();
  /**
   * Services that are not in the input but that a controller creates for a gateway declared in
   * it (Istio's `<name>-istio` for a Gateway API Gateway, the Services an IstioOperator
   * installs): classified as entries like the Services read, with the note saying where from.
   */
  readonly provisioned: Array<{ service: KubeObject; note: string }> = [];
  /** Pod labels of gateways known only from configuration (IstioOperator), by gateway id. */
  readonly declaredLabels = new Map<string, Record<string, string>>();

  constructor(private readonly objects: ClusterObjects) {}

  forWorkload(workload: Workload, kind: GatewayKind): Gateway {
    const id = ids.gateway(
      this.objects.name,
      workload.namespace,
      workload.name,
    );
    let gateway = this.#gateways.get(id);
    if (!gateway) {
      gateway = {
        id,
        cluster: this.objects.name,
        namespace: workload.namespace,
        name: workload.name,
        kind,
        workload: summarizeWorkload(workload),
        services: this.objects
          .servicesSelecting(workload)
          .map(s => serviceRef(this.objects.name, s)),
        configs: [],
        listeners: [],
        eastWest: false,
      };
      this.#gateways.set(id, gateway);
      this.#workloads.set(id, workload);
    }
    return gateway;
  }

  forConfig(
    namespace: string,
    name: string,
    kind: GatewayKind,
    id = ids.gateway(this.objects.name, namespace, name),
  ): Gateway {
    let gateway = this.#gateways.get(id);
    if (!gateway) {
      gateway = {
        id,
        cluster: this.objects.name,
        namespace,
        name,
        kind,
        services: [],
        configs: [],
        listeners: [],
        eastWest: false,
      };
      this.#gateways.set(id, gateway);
    }
    return gateway;
  }

  addConfig(gateway: Gateway, ref: ObjectRef) {
    const known = gateway.configs.some(
      c =>
        c.kind === ref.kind &&
        c.namespace === ref.namespace &&
        c.name === ref.name,
    );
    if (!known) gateway.configs.push(ref);
  }

  /** Records that routes attaching to `configKey` (e.g. `istio/ns/name`) reach `gateway`. */
  bind(configKey: string, gateway: Gateway) {
    const bound = this.#bindings.get(configKey) ?? [];
    if (!bound.includes(gateway.id)) bound.push(gateway.id);
    this.#bindings.set(configKey, bound);
  }

  bound(configKey: string): string[] {
    return this.#bindings.get(configKey) ?? [];
  }

  hasConfig(configKey: string): boolean {
    return this.#bindings.has(configKey);
  }

  get(gatewayId: string): Gateway | undefined {
    return this.#gateways.get(gatewayId);
  }

  workloadOf(gatewayId: string): Workload | undefined {
    return this.#workloads.get(gatewayId);
  }

  byService(service: KubeObject | undefined): Gateway | undefined {
    if (!service) return undefined;
    return this.all().find(g =>
      g.services.some(
        s =>
          s.namespace === service.metadata.namespace &&
          s.name === service.metadata.name,
      ),
    );
  }

  byWorkload(workload: Workload): Gateway | undefined {
    return this.#gateways.get(
      ids.gateway(this.objects.name, workload.namespace, workload.name),
    );
  }

  all(): Gateway[] {
    return [...this.#gateways.values()];
  }
}
