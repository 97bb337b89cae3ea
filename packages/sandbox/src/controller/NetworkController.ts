import type { ClusterSpec } from '../estate';
import { podQosClass } from '../kube/podQos';
import type { ResourceType } from '../kube/resources';
import { KubeObject, ObjectStore, now } from '../kube/store';
import type { SandboxCloud } from '../tencent/SandboxCloud';
import { AddressPool } from '../ipv4';
import { stableNumber, stableSuffix, stableUid } from './naming';
import { NodeUsage, fits, place, schedule } from './scheduler';
import { runIstioInstallers } from './istioInstaller';
import { fillServiceAccountTokens } from './serviceAccountTokens';
import { injectSidecar } from './sidecarInjection';

export const TKE = {
  eipAttributes: 'tke.cloud.tencent.com/eip-attributes',
  eipPublicIp: 'tke.cloud.tencent.com/eip-public-ip',
  eipIdList: 'tke.cloud.tencent.com/eip-id-list',
  eipClaimDeletePolicy: 'tke.cloud.tencent.com/eip-claim-delete-policy',
  networks: 'tke.cloud.tencent.com/networks',
  loadBalancerId: 'service.kubernetes.io/loadbalance-id',
  existedLbId: 'service.kubernetes.io/tke-existed-lbid',
  internalSubnet: 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid',
  directAccess: 'service.cloud.tencent.com/direct-access',
} as const;

/** CCE's ELB annotations, as Huawei's controller reads them (the sandbox keeps its own). */
const HUAWEI = {
  elbId: 'kubernetes.io/elb.id',
  elbAutocreate: 'kubernetes.io/elb.autocreate',
} as const;

/** Kinds whose changes the controller has nothing to do about. */
const IGNORED_KINDS = new Set([
  'Secret',
  'ServiceAccount',
  'Gateway',
  'VirtualService',
  'DestinationRule',
  'IstioOperator',
  'Ingress',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'EndpointSlice',
  'CustomResourceDefinition',
]);

type Workload = {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  object: KubeObject;
};

/**
 * What TKE (or another cloud's) controllers do after every change: workloads get running pods,
 * pods get IPs (and EIPs when asked for on VPC-CNI), Services get cluster IPs, node ports,
 * load balancers (on CCE, an internal ELB's VIP) and Endpoints. Cloud side effects go through SandboxCloud.
 */
export class NetworkController {
  readonly #store: ObjectStore;
  readonly #cluster: ClusterSpec;
  readonly #cloud?: SandboxCloud;
  readonly #deleted: KubeObject[] = [];
  readonly #usedPodNames = new Set<string>();
  #dirty = true;
  readonly #types: Record<
    | 'pods'
    | 'services'
    | 'endpoints'
    | 'deployments'
    | 'statefulsets'
    | 'daemonsets',
    ResourceType
  >;
  readonly #eipClaims?: ResourceType;
  /** A Secret was written: a service-account token Secret may wait for its token. */
  #secretsChanged = true;
  /** Cloud failures, newest last, so tests and the CLI can tell why something stayed pending. */
  readonly errors: string[] = [];
  /** How long an installer Job's `istioctl install` runs. */
  readonly #installerMs: number;
  /** Wakes the controller when a running installer is due to finish. */
  #installerTimer?: NodeJS.Timeout;

  constructor(options: {
    store: ObjectStore;
    cluster: ClusterSpec;
    cloud?: SandboxCloud;
    installerMs?: number;
  }) {
    this.#store = options.store;
    this.#installerMs = options.installerMs ?? 0;
    this.#cluster = options.cluster;
    this.#cloud = options.cloud;
    const type = (group: string, plural: string) =>
      this.#store.type(group, plural)!;
    this.#types = {
      pods: type('', 'pods'),
      services: type('', 'services'),
      endpoints: type('', 'endpoints'),
      deployments: type('apps', 'deployments'),
      statefulsets: type('apps', 'statefulsets'),
      daemonsets: type('apps', 'daemonsets'),
    };
    this.#eipClaims = this.#store.type(
      'networking.tke.cloud.tencent.com',
      'eipclaims',
    );
    this.#store.subscribe(event => {
      // Custom resources are never its business (EIPClaims are built in).
      if (
        !IGNORED_KINDS.has(event.resource.kind) &&
        !event.resource.definedBy
      ) {
        this.#dirty = true;
      }
      if (event.resource.kind === 'Secret' && event.type !== 'DELETED') {
        this.#secretsChanged = true;
      }
      if (
        event.type === 'DELETED' &&
        (event.resource === this.#types.pods ||
          event.resource === this.#types.services)
      ) {
        this.#deleted.push(this.#store.parse(event.resource, event.entry));
      }
    });
  }

  /** Brings pods, Services and Endpoints in line with the objects; does nothing when none it reads changed. */
  reconcile(): void {
    if (this.#secretsChanged) {
      this.#secretsChanged = false;
      fillServiceAccountTokens(this.#store);
    }
    if (!this.#dirty) {
      return;
    }
    // Cloud resources of deleted pods are released before a replacement with the same name
    // (a StatefulSet pod) can claim them again.
    this.#cleanUpDeleted();
    this.#wakeIn(runIstioInstallers(this.#store, this.#installerMs));
    this.#syncWorkloadPods();
    this.#cleanUpDeleted();
    this.#syncPods();
    this.#syncServices();
    this.#syncEndpoints();
    this.#syncWorkloadStatus();
    this.#dirty = false;
  }

  /** Runs the controller again in `ms`, for what finishes with time rather than a write. */
  #wakeIn(ms: number | undefined) {
    if (ms === undefined) return;
    // The soonest due wins: a Job created after a longer one does not wait for it.
    clearTimeout(this.#installerTimer);
    this.#installerTimer = setTimeout(() => {
      this.#installerTimer = undefined;
      this.#dirty = true;
      this.reconcile();
    }, ms);
    this.#installerTimer.unref();
  }

  // Workloads -> pods

  #syncWorkloadPods() {
    const pods = this.#store.list(this.#types.pods);
    pods.forEach(pod =>
      this.#usedPodNames.add(`${pod.metadata.namespace}/${pod.metadata.name}`),
    );
    const claimed = new Set<KubeObject>();
    for (const workload of this.#workloads()) {
      const owned = pods.filter(pod =>
        ownedBy(pod, workload.kind, workload.object),
      );
      owned.forEach(pod => claimed.add(pod));
      const { keep, create } = this.#plan(workload, owned);
      for (const pod of owned.filter(p => !keep.includes(p))) {
        this.#store.delete(
          this.#types.pods,
          pod.metadata.namespace!,
          pod.metadata.name,
        );
      }
      create.forEach(pod => this.#store.create(this.#types.pods, pod));
    }
    for (const pod of pods) {
      const owner = pod.metadata.ownerReferences?.find(ref => ref.controller);
      if (
        !claimed.has(pod) &&
        owner &&
        ['ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(owner.kind)
      ) {
        this.#store.delete(
          this.#types.pods,
          pod.metadata.namespace!,
          pod.metadata.name,
        );
      }
    }
  }

  #workloads(): Workload[] {
    return [
      ...this.#store
        .list(this.#types.deployments)
        .map(object => ({ kind: 'Deployment' as const, object })),
      ...this.#store
        .list(this.#types.statefulsets)
        .map(object => ({ kind: 'StatefulSet' as const, object })),
      ...this.#store
        .list(this.#types.daemonsets)
        .map(object => ({ kind: 'DaemonSet' as const, object })),
    ];
  }

  /** Which of a workload's pods stay, and which new ones it needs (pods of an old template are replaced). */
  #plan(
    workload: Workload,
    owned: KubeObject[],
  ): { keep: KubeObject[]; create: KubeObject[] } {
    const { metadata, spec } = workload.object;
    const namespace = metadata.namespace!;
    const hash = templateHash(workload.object);
    const replicas = spec?.replicas ?? 1;
    const owner = (kind: string, name: string, uid: string) => ({
      apiVersion: 'apps/v1',
      kind,
      name,
      uid,
    });
    switch (workload.kind) {
      case 'Deployment': {
        const replicaSet = `${metadata.name}-${hash}`;
        const keep = owned
          .filter(pod => pod.metadata.labels?.['pod-template-hash'] === hash)
          .slice(0, replicas);
        const create = Array.from(
          { length: Math.max(0, replicas - keep.length) },
          () =>
            this.#newPod(
              workload,
              this.#newPodName(namespace, replicaSet),
              owner(
                'ReplicaSet',
                replicaSet,
                replicaSetUid(workload.object, hash),
              ),
              {
                'pod-template-hash': hash,
              },
            ),
        );
        return { keep, create };
      }
      case 'StatefulSet': {
        const revision = `${metadata.name}-${hash}`;
        const keep: KubeObject[] = [];
        const create: KubeObject[] = [];
        for (let i = 0; i < replicas; i++) {
          const name = `${metadata.name}-${i}`;
          const current = owned.find(pod => pod.metadata.name === name);
          if (
            current?.metadata.labels?.['controller-revision-hash'] === revision
          ) {
            keep.push(current);
          } else {
            create.push(
              this.#newPod(
                workload,
                name,
                owner('StatefulSet', metadata.name, metadata.uid!),
                {
                  'controller-revision-hash': revision,
                  'statefulset.kubernetes.io/pod-name': name,
                  'apps.kubernetes.io/pod-index': String(i),
                },
              ),
            );
          }
        }
        return { keep, create };
      }
      default: {
        const keep: KubeObject[] = [];
        const create: KubeObject[] = [];
        for (const node of this.#cluster.nodes.filter(n =>
          fits(spec?.template?.spec ?? {}, n),
        )) {
          const current = owned.find(
            pod =>
              pod.spec?.nodeName === node.name &&
              pod.metadata.labels?.['controller-revision-hash'] === hash,
          );
          if (current) {
            keep.push(current);
          } else {
            const pod = this.#newPod(
              workload,
              this.#newPodName(namespace, metadata.name),
              owner('DaemonSet', metadata.name, metadata.uid!),
              {
                'controller-revision-hash': hash,
                'pod-template-generation': String(metadata.generation ?? 1),
              },
            );
            pod.spec.nodeName = node.name;
            create.push(pod);
          }
        }
        return { keep, create };
      }
    }
  }

  /** `<prefix>-<5 chars>`, stable across restarts, and never a name a deleted pod had. */
  #newPodName(namespace: string, prefix: string): string {
    for (let n = 0; ; n++) {
      const name = `${prefix}-${stableSuffix(
        `${this.#cluster.name}/${prefix}/${n}`,
        5,
      )}`;
      if (!this.#usedPodNames.has(`${namespace}/${name}`)) {
        this.#usedPodNames.add(`${namespace}/${name}`);
        return name;
      }
    }
  }

  #newPod(
    workload: Workload,
    name: string,
    owner: { apiVersion: string; kind: string; name: string; uid: string },
    extraLabels: Record<string, string>,
  ): KubeObject {
    const template = workload.object.spec?.template ?? {};
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: workload.object.metadata.namespace,
        labels: { ...template.metadata?.labels, ...extraLabels },
        ...(template.metadata?.annotations
          ? { annotations: { ...template.metadata.annotations } }
          : {}),
        ownerReferences: [
          { ...owner, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: {
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'default',
        ...structuredClone(template.spec ?? {}),
      },
    };
  }

  // Pods: scheduling, addresses, status, EIPs

  #syncPods() {
    const pods = this.#store.list(this.#types.pods);
    const ipPool = new AddressPool(
      this.#cluster.podCidr,
      pods
        .filter(p => !p.spec?.hostNetwork && p.status?.podIP)
        .map(p => p.status.podIP),
    );
    const usage: NodeUsage = new Map();
    for (const pod of pods.filter(p => p.spec?.nodeName)) {
      place(usage, pod.spec.nodeName, pod.spec);
    }
    for (const pod of pods) {
      if (!pod.status?.phase) {
        this.#store.update(
          this.#types.pods,
          this.#start(injectSidecar(this.#store, pod), ipPool, usage),
        );
      }
    }
    if (this.#cluster.provider === 'tencent' && this.#cluster.vpcCni) {
      for (const pod of this.#store.list(this.#types.pods)) {
        this.#bindEip(pod);
      }
    }
  }

  /** Schedules a new pod on a node (or leaves it Pending) and reports it running. */
  #start(pod: KubeObject, ipPool: AddressPool, usage: NodeUsage): KubeObject {
    const spec = pod.spec ?? {};
    const node = spec.nodeName
      ? this.#cluster.nodes.find(n => n.name === spec.nodeName)
      : schedule(this.#cluster.nodes, pod, usage);
    const startTime = now();
    if (!node) {
      return {
        ...pod,
        status: {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: `0/${
                this.#cluster.nodes.length
              } nodes are available: no node matches the pod's node selector, affinity, tolerations and free host ports.`,
              lastTransitionTime: startTime,
            },
          ],
          qosClass: podQosClass(spec),
        },
      };
    }
    place(usage, node.name, spec);
    const pinned =
      this.#cluster.podIps?.[
        `${pod.metadata.namespace}/${workloadNameOf(pod)}`
      ];
    const podIp = spec.hostNetwork
      ? node.internalIp
      : pinned?.find(ip => ipPool.claim(ip)) ?? ipPool.next();
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastTransitionTime: startTime,
    });
    return {
      ...pod,
      spec: { ...spec, nodeName: node.name },
      status: {
        phase: 'Running',
        conditions: [
          'PodReadyToStartContainers',
          'Initialized',
          'Ready',
          'ContainersReady',
          'PodScheduled',
        ].map(condition),
        hostIP: node.internalIp,
        hostIPs: [{ ip: node.internalIp }],
        podIP: podIp,
        podIPs: podIp ? [{ ip: podIp }] : [],
        startTime,
        containerStatuses: (spec.containers ?? []).map((container: any) => ({
          name: container.name,
          image: container.image,
          imageID: '',
          containerID: `containerd://${stableSuffix(
            `${pod.metadata.uid}/${container.name}`,
            16,
          )}`,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: startTime } },
        })),
        qosClass: podQosClass(spec),
      },
    };
  }

  /** What tke-eni-ipamd does for a pod that asks for an EIP. */
  #bindEip(pod: KubeObject) {
    const annotations = pod.metadata.annotations ?? {};
    if (
      !annotations[TKE.eipAttributes] ||
      annotations[TKE.eipPublicIp] ||
      !pod.status?.podIP ||
      pod.spec?.hostNetwork
    ) {
      return;
    }
    if (!this.#cloud || !this.#eipClaims) {
      return;
    }
    const { namespace, name } = pod.metadata as {
      namespace: string;
      name: string;
    };
    const claim = this.#store.get(this.#eipClaims, namespace, name);
    const attributes = parseJsonObject(annotations[TKE.eipAttributes]);
    const bandwidth = Number(
      attributes.Bandwidth ?? attributes.InternetMaxBandwidthOut,
    );
    const eniId = this.#eniOf(pod);
    try {
      const { addressId, ip } = this.#cloud.bindPodEip({
        region: this.#cluster.region,
        clusterId: this.#cluster.cloudClusterId ?? this.#cluster.name,
        podIp: pod.status.podIP,
        eniId,
        reuseAddressId:
          claim?.status?.addressId ??
          annotations[TKE.eipIdList]?.split(',')[0]?.trim() ??
          undefined,
        bandwidthMbps: Number.isFinite(bandwidth) ? bandwidth : undefined,
        internetChargeType: attributes.InternetChargeType,
      });
      this.#store.update(this.#types.pods, {
        ...pod,
        metadata: {
          ...pod.metadata,
          annotations: { ...annotations, [TKE.eipPublicIp]: ip },
        },
      });
      const claimObject: KubeObject = {
        apiVersion: 'networking.tke.cloud.tencent.com/v1',
        kind: 'EIPClaim',
        metadata: {
          ...(claim?.metadata ?? { name, namespace }),
          labels: {
            ...claim?.metadata.labels,
            'tke.cloud.tencent.com/pod-name': name,
          },
        },
        spec: {
          ...attributes,
          deletePolicy: annotations[TKE.eipClaimDeletePolicy] ?? 'Delete',
        },
        status: {
          phase: 'Bound',
          addressId,
          ip,
          podIp: pod.status.podIP,
          eniId,
        },
      };
      if (claim) {
        this.#store.update(this.#eipClaims, claimObject);
      } else {
        this.#store.create(this.#eipClaims, claimObject);
      }
    } catch (error) {
      this.#fail(
        `FailedAllocateEIP ${namespace}/${name}: ${(error as Error).message}`,
      );
    }
  }

  // Services: cluster IPs, node ports, load balancers

  #syncServices() {
    const services = this.#store.list(this.#types.services);
    const clusterIps = new AddressPool(
      this.#cluster.serviceCidr,
      services
        .map(s => s.spec?.clusterIP)
        .filter((ip: unknown) => typeof ip === 'string' && ip !== 'None'),
    );
    const nodePorts = new Set<number>(
      services.flatMap(s =>
        (s.spec?.ports ?? []).map((p: any) => p.nodePort).filter(Boolean),
      ),
    );
    for (const service of services) {
      const before = JSON.stringify(service);
      const spec = (service.spec ??= {});
      spec.type ??= 'ClusterIP';
      if (spec.type !== 'ExternalName' && !spec.clusterIP) {
        spec.clusterIP = clusterIps.next();
        spec.clusterIPs = [spec.clusterIP];
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        for (const port of spec.ports ?? []) {
          if (!port.nodePort) {
            port.nodePort = freeNodePort(
              nodePorts,
              `${service.metadata.namespace}/${service.metadata.name}/${port.port}`,
            );
          }
        }
      }
      this.#syncLoadBalancer(service);
      if (Object.keys(service.metadata.annotations ?? {}).length === 0) {
        delete service.metadata.annotations;
      }
      if (JSON.stringify(service) !== before) {
        this.#store.update(this.#types.services, service);
      }
    }
  }

  #syncLoadBalancer(service: KubeObject) {
    const annotations = (service.metadata.annotations ??= {});
    const ingress = service.status?.loadBalancer?.ingress;
    const setAddress = (ip: string | undefined) => {
      if (ip)
        service.status = {
          ...service.status,
          loadBalancer: { ingress: [{ ip }] },
        };
    };
    if (service.spec.type !== 'LoadBalancer') {
      if (annotations[TKE.loadBalancerId]) {
        this.#releaseLoadBalancer(service);
        delete annotations[TKE.loadBalancerId];
        delete service.status?.loadBalancer;
      } else if (this.#cluster.provider !== 'tencent') {
        delete service.status?.loadBalancer;
      }
      return;
    }
    if (this.#cluster.provider !== 'tencent') {
      if (!ingress?.length) {
        setAddress(
          this.#cluster.loadBalancers?.[
            `${service.metadata.namespace}/${service.metadata.name}`
          ] ?? this.#huaweiInnerElbVip(service),
        );
      }
      return;
    }
    const region = this.#cluster.region;
    const existing =
      annotations[TKE.existedLbId] ?? annotations[TKE.loadBalancerId];
    if (existing) {
      annotations[TKE.loadBalancerId] = existing;
      // A manifest cannot carry the uid the CLB was tagged with (the API server assigns uids),
      // so the cloud's record follows the Service. A reused CLB (tke-existed-lbid) keeps its tags.
      if (!annotations[TKE.existedLbId] && service.metadata.uid) {
        this.#cloud?.recordServiceUid({
          region,
          clusterId: this.#cluster.cloudClusterId ?? this.#cluster.name,
          loadBalancerId: existing,
          serviceUid: service.metadata.uid,
        });
      }
      if (!ingress?.length) {
        setAddress(
          this.#cloud?.describeLoadBalancerVip({
            region,
            loadBalancerId: existing,
          }),
        );
      }
      return;
    }
    if (!this.#cloud) {
      return;
    }
    const directAccess = annotations[TKE.directAccess] === 'true';
    const pods = this.#selectedPods(service);
    try {
      const { loadBalancerId, vip } = this.#cloud.createServiceLoadBalancer({
        region,
        clusterId: this.#cluster.cloudClusterId ?? this.#cluster.name,
        serviceUid: service.metadata.uid!,
        serviceName: `${service.metadata.namespace}/${service.metadata.name}`,
        internal: Boolean(annotations[TKE.internalSubnet]),
        subnetId: annotations[TKE.internalSubnet],
        ports: (service.spec.ports ?? []).map((p: any) => ({
          port: p.port,
          protocol: p.protocol ?? 'TCP',
          nodePort: p.nodePort,
          targetPort: resolveTargetPort(p, pods[0]),
        })),
        targets: directAccess
          ? pods.map(pod => ({
              ip: pod.status.podIP,
              eniId: this.#eniOf(pod),
            }))
          : this.#cluster.nodes.map(node => ({ ip: node.internalIp })),
      });
      annotations[TKE.loadBalancerId] = loadBalancerId;
      setAddress(vip);
    } catch (error) {
      this.#fail(
        `SyncLoadBalancerFailed ${service.metadata.namespace}/${
          service.metadata.name
        }: ${(error as Error).message}`,
      );
    }
  }

  /**
   * What CCE's ELB controller does for a Service asking for a shared ELB on the VPC only
   * (`kubernetes.io/elb.autocreate` of type `inner`, no existing `elb.id`): the ELB takes a
   * free address of the cluster's subnet, which becomes the Service's address. There is no
   * Huawei cloud stand-in, so no ELB record exists anywhere but in the Service; an ELB with an
   * EIP (type `public`) or an existing one by id gets only the address the estate lists.
   */
  #huaweiInnerElbVip(service: KubeObject): string | undefined {
    const annotations = service.metadata.annotations ?? {};
    const subnet = this.#cluster.loadBalancerSubnet;
    if (
      this.#cluster.provider !== 'huawei' ||
      !subnet ||
      annotations[HUAWEI.elbId]
    ) {
      return undefined;
    }
    let autocreate: { type?: unknown } | undefined;
    try {
      autocreate = JSON.parse(annotations[HUAWEI.elbAutocreate] ?? 'null');
    } catch {
      this.#fail(
        `SyncLoadBalancerFailed ${service.metadata.namespace}/${service.metadata.name}: ${HUAWEI.elbAutocreate} is not JSON`,
      );
      return undefined;
    }
    if (autocreate?.type !== 'inner') {
      return undefined;
    }
    const taken = [
      ...this.#cluster.nodes.map(node => node.internalIp),
      ...(this.#cluster.apiServer ? [this.#cluster.apiServer.ip] : []),
      ...Object.values(this.#cluster.loadBalancers ?? {}),
      ...this.#store
        .list(this.#types.services)
        .flatMap(s => s.status?.loadBalancer?.ingress ?? [])
        .map((i: { ip?: string }) => i.ip)
        .filter((ip): ip is string => Boolean(ip)),
    ];
    const vip = new AddressPool(subnet, taken).next();
    if (!vip) {
      this.#fail(
        `SyncLoadBalancerFailed ${service.metadata.namespace}/${service.metadata.name}: no free address in ${subnet}`,
      );
    }
    return vip;
  }

  /** The ENI a VPC-CNI pod's IP sits on: the one the cloud records for it, else its node's. */
  #eniOf(pod: KubeObject): string {
    return (
      this.#cloud?.eniOf({
        region: this.#cluster.region,
        clusterId: this.#cluster.cloudClusterId ?? this.#cluster.name,
        privateIp: pod.status.podIP,
      }) ?? eniIdOf(this.#cluster, pod.spec.nodeName)
    );
  }

  #releaseLoadBalancer(service: KubeObject) {
    const annotations = service.metadata.annotations ?? {};
    const loadBalancerId = annotations[TKE.loadBalancerId];
    if (
      this.#cluster.provider !== 'tencent' ||
      !this.#cloud ||
      !loadBalancerId ||
      annotations[TKE.existedLbId]
    ) {
      return;
    }
    try {
      this.#cloud.releaseServiceLoadBalancer({
        region: this.#cluster.region,
        loadBalancerId,
      });
    } catch (error) {
      this.#fail(
        `DeleteLoadBalancerFailed ${loadBalancerId}: ${
          (error as Error).message
        }`,
      );
    }
  }

  // Endpoints of Services with a selector

  #syncEndpoints() {
    const podsByNamespace = new Map<string, KubeObject[]>();
    for (const pod of this.#store.list(this.#types.pods)) {
      const list = podsByNamespace.get(pod.metadata.namespace!) ?? [];
      list.push(pod);
      podsByNamespace.set(pod.metadata.namespace!, list);
    }
    for (const service of this.#store.list(this.#types.services)) {
      const selector = service.spec?.selector;
      if (
        !selector ||
        Object.keys(selector).length === 0 ||
        service.spec.type === 'ExternalName'
      ) {
        continue;
      }
      const { namespace, name } = service.metadata as {
        namespace: string;
        name: string;
      };
      const pods = (podsByNamespace.get(namespace) ?? []).filter(
        pod =>
          pod.status?.podIP &&
          Object.entries(selector).every(
            ([k, v]) => pod.metadata.labels?.[k] === v,
          ),
      );
      const subsets = endpointSubsets(service, pods);
      const current = this.#store.get(this.#types.endpoints, namespace, name);
      const desired: KubeObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          ...(current?.metadata ?? { name, namespace }),
          labels: service.metadata.labels,
        },
        ...(subsets.length ? { subsets } : {}),
      };
      if (!current) {
        this.#store.create(this.#types.endpoints, desired);
      } else if (
        JSON.stringify(current.subsets ?? []) !== JSON.stringify(subsets) ||
        JSON.stringify(current.metadata.labels) !==
          JSON.stringify(desired.metadata.labels)
      ) {
        this.#store.update(this.#types.endpoints, desired);
      }
    }
  }

  #selectedPods(service: KubeObject): KubeObject[] {
    const selector = service.spec?.selector ?? {};
    return this.#store
      .list(this.#types.pods, service.metadata.namespace)
      .filter(
        pod =>
          pod.status?.podIP &&
          Object.entries(selector).every(
            ([k, v]) => pod.metadata.labels?.[k] === v,
          ),
      );
  }

  // Workload status

  #syncWorkloadStatus() {
    const pods = this.#store.list(this.#types.pods);
    for (const { kind, object } of this.#workloads()) {
      const owned = pods.filter(pod => ownedBy(pod, kind, object));
      const ready = owned.filter(pod => pod.status?.phase === 'Running').length;
      const generation = object.metadata.generation ?? 1;
      let status: Record<string, unknown>;
      if (kind === 'DaemonSet') {
        status = {
          currentNumberScheduled: owned.length,
          desiredNumberScheduled: owned.length,
          numberAvailable: ready,
          numberMisscheduled: 0,
          numberReady: ready,
          observedGeneration: generation,
          updatedNumberScheduled: owned.length,
        };
      } else {
        status = {
          observedGeneration: generation,
          replicas: owned.length,
          updatedReplicas: owned.length,
          readyReplicas: ready,
          availableReplicas: ready,
          ...(kind === 'StatefulSet' ? { currentReplicas: owned.length } : {}),
        };
      }
      if (JSON.stringify(object.status) !== JSON.stringify(status)) {
        const type = {
          Deployment: this.#types.deployments,
          StatefulSet: this.#types.statefulsets,
          DaemonSet: this.#types.daemonsets,
        }[kind];
        this.#store.update(type, { ...object, status });
      }
    }
  }

  // Cloud resources of deleted objects

  #cleanUpDeleted() {
    while (this.#deleted.length) {
      const object = this.#deleted.shift()!;
      if (object.kind === 'Service') {
        this.#releaseLoadBalancer(object);
        const endpoints = this.#store.getEntry(
          this.#types.endpoints,
          object.metadata.namespace!,
          object.metadata.name,
        );
        if (endpoints && object.spec?.selector) {
          this.#store.delete(
            this.#types.endpoints,
            object.metadata.namespace!,
            object.metadata.name,
          );
        }
      } else {
        this.#releaseEip(object);
      }
    }
  }

  /** Pod gone: unbind its EIP, and release it and its claim unless the pod asked to keep them. */
  #releaseEip(pod: KubeObject) {
    if (!this.#eipClaims || !this.#cloud) return;
    const { namespace, name } = pod.metadata as {
      namespace: string;
      name: string;
    };
    const claim = this.#store.get(this.#eipClaims, namespace, name);
    if (!claim?.status?.addressId || claim.status.phase !== 'Bound') return;
    const keep =
      pod.metadata.annotations?.[TKE.eipClaimDeletePolicy] === 'Never';
    try {
      this.#cloud.unbindPodEip({
        region: this.#cluster.region,
        addressId: claim.status.addressId,
        release: !keep,
      });
    } catch (error) {
      this.#fail(
        `FailedReleaseEIP ${namespace}/${name}: ${(error as Error).message}`,
      );
    }
    if (keep) {
      this.#store.update(this.#eipClaims, {
        ...claim,
        status: { ...claim.status, phase: 'Unbound', podIp: undefined },
      });
    } else {
      this.#store.delete(this.#eipClaims, namespace, name);
    }
  }

  #fail(message: string) {
    this.errors.push(message);
    if (this.errors.length > 100) this.errors.shift();
  }
}

/** The Deployment, StatefulSet or DaemonSet a pod belongs to, by name. */
function workloadNameOf(pod: KubeObject): string | undefined {
  const owner = pod.metadata.ownerReferences?.find(ref => ref.controller);
  if (!owner) return undefined;
  return owner.kind === 'ReplicaSet'
    ? owner.name.replace(/-[^-]+$/, '')
    : owner.name;
}

function templateHash(workload: KubeObject): string {
  return stableSuffix(JSON.stringify(workload.spec?.template ?? {}), 10);
}

/** Deployments own pods through a ReplicaSet the sandbox does not store; its uid derives from the Deployment's. */
function replicaSetUid(deployment: KubeObject, hash: string): string {
  return stableUid(`${deployment.metadata.uid}/${hash}`);
}

function ownedBy(pod: KubeObject, kind: string, workload: KubeObject): boolean {
  if (pod.metadata.namespace !== workload.metadata.namespace) return false;
  const owner = pod.metadata.ownerReferences?.find(ref => ref.controller);
  if (!owner) return false;
  if (kind === 'Deployment') {
    const prefix = `${workload.metadata.name}-`;
    return (
      owner.kind === 'ReplicaSet' &&
      owner.name.startsWith(prefix) &&
      owner.uid === replicaSetUid(workload, owner.name.slice(prefix.length))
    );
  }
  return owner.kind === kind && owner.uid === workload.metadata.uid;
}

/** Endpoints subsets: ready pod addresses, grouped by the ports their targetPorts resolve to. */
function endpointSubsets(service: KubeObject, pods: KubeObject[]) {
  type Subset = {
    addresses: Array<{ ip: string; nodeName?: string; targetRef: object }>;
    ports: object[];
  };
  const groups = new Map<string, Subset>();
  for (const pod of pods) {
    const ports = (service.spec.ports ?? []).flatMap((port: any) => {
      const number = resolveTargetPort(port, pod);
      return number
        ? [
            {
              ...(port.name ? { name: port.name } : {}),
              port: number,
              protocol: port.protocol ?? 'TCP',
            },
          ]
        : [];
    });
    const key = JSON.stringify(ports);
    const group: Subset = groups.get(key) ?? { addresses: [], ports };
    group.addresses.push({
      ip: pod.status.podIP,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: {
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
      },
    });
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter(group => group.ports.length)
    .map(group => ({
      addresses: group.addresses.sort((a, b) => a.ip.localeCompare(b.ip)),
      ports: group.ports,
    }));
}

/** A Service port's targetPort as a number, looking up named ports in the pod's containers. */
function resolveTargetPort(port: any, pod?: KubeObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') {
    return target;
  }
  return (pod?.spec?.containers ?? [])
    .flatMap((c: any) => c.ports ?? [])
    .find((p: any) => p.name === target)?.containerPort;
}

function freeNodePort(used: Set<number>, seed: string): number {
  let port = 30000 + (stableNumber(seed) % 2768);
  while (used.has(port)) {
    port = port === 32767 ? 30000 : port + 1;
  }
  used.add(port);
  return port;
}

/** The ENI of a node's pods when the cloud records none: one per node in this simulation. */
function eniIdOf(cluster: ClusterSpec, nodeName: string): string {
  return `eni-${stableSuffix(`${cluster.name}/${nodeName}`, 8)}`;
}

function parseJsonObject(text: string): Record<string, any> {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}
