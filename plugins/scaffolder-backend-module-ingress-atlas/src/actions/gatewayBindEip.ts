import {
  BillableResource,
  PriceCatalogue,
  TKE,
  matchesSelector,
  resourceMonthlyCost,
  roundCny,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ConnectedCluster } from '../clusters';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeObject, listObjects, onlySpec, readObject } from '../kube';
import { describeObject } from '../manifests';
import { reinstallWarning } from '../istio';
import {
  PodEip,
  allBound,
  describeAddresses,
  eipQuota,
  podEips,
  vpcCniState,
  waitForPodEips,
} from '../tke';
import {
  ActionOptions,
  MIGRATED_FROM_ANNOTATION,
  Preflight,
  Zod,
  changeOutputs,
  clusterInput,
  gatewayInput,
  namespaceInput,
  tencentCloudOf,
  timeoutInput,
} from './common';
import { gatewayEipOutputs, gatewayEipsOf } from './gatewayEips';
import { checkSchedulable } from './scheduling';
import { Parsed, createAtlasAction } from './runner';
import { checkedString, flagInput, optionalInput } from './inputs';
import { examples } from './gatewayBindEip.examples';

type NetworkMode = 'tke-route-eni' | 'tke-direct-eni';
type Retire = 'delete' | 'scale-to-zero';

/** A port of the gateway's Service whose clients reach another container port (80 -> 8080). */
interface RemappedPort {
  port: number;
  protocol: string;
  targetPort: number;
}

interface StatefulSetOptions {
  replicas: number;
  serviceName: string;
  networkMode: NetworkMode;
  eipAttributes: Record<string, string>;
  eipIds?: string[];
  /** The ports the pods listen on themselves instead of the container ports they map to. */
  listenOn?: { ports: RemappedPort[]; unprivilegedPortsSysctl: boolean };
}

/** The gateway container of a pod spec: Istio's `istio-proxy`, else the first. */
const gatewayContainer = (podSpec: KubeObject): KubeObject =>
  podSpec.containers.find((c: KubeObject) => c.name === 'istio-proxy') ??
  podSpec.containers[0];

/**
 * The Service's ports whose clients reach another container port: a pod EIP's clients reach
 * the container ports directly. A named targetPort is looked up among the containers' ports.
 */
function remappedPorts(
  service: KubeObject | undefined,
  podSpec: KubeObject,
): RemappedPort[] {
  const containerPorts: Array<{ name?: string; containerPort: number }> = (
    podSpec?.containers ?? []
  ).flatMap((c: KubeObject) => c.ports ?? []);
  return (service?.spec?.ports ?? []).flatMap(
    (p: { port: number; protocol?: string; targetPort?: number | string }) => {
      const target =
        typeof p.targetPort === 'string'
          ? containerPorts.find(c => c.name === p.targetPort)?.containerPort
          : p.targetPort;
      return target !== undefined && target !== p.port
        ? [{ port: p.port, protocol: p.protocol ?? 'TCP', targetPort: target }]
        : [];
    },
  );
}

/**
 * The pod listening on the Service's own ports: the gateway container declares them instead
 * of the ports they mapped to, and may bind ports below 1024 — from Kubernetes 1.22 through
 * the safe sysctl `net.ipv4.ip_unprivileged_port_start=0`, as Istio's gateway chart does;
 * before, as root with only NET_BIND_SERVICE added (Istio's `runAsRoot` for gateways). Envoy
 * itself listens where istiod tells it: on the Service's targetPorts, which change once the
 * Deployment is retired.
 */
function listenOnServicePorts(
  podSpec: KubeObject,
  listenOn: NonNullable<StatefulSetOptions['listenOn']>,
): void {
  const gateway = gatewayContainer(podSpec);
  gateway.ports = (gateway.ports ?? []).map(
    (p: { containerPort: number; protocol?: string }) => {
      const remapped = listenOn.ports.find(
        r =>
          r.targetPort === p.containerPort &&
          r.protocol === (p.protocol ?? 'TCP'),
      );
      return remapped ? { ...p, containerPort: remapped.port } : p;
    },
  );
  if (!listenOn.ports.some(r => r.port < 1024)) return;
  if (listenOn.unprivilegedPortsSysctl) {
    const sysctls = (podSpec.securityContext?.sysctls ?? []).filter(
      (c: { name: string }) => c.name !== UNPRIVILEGED_PORT_START,
    );
    podSpec.securityContext = {
      ...podSpec.securityContext,
      sysctls: [...sysctls, { name: UNPRIVILEGED_PORT_START, value: '0' }],
    };
  } else {
    const capabilities = gateway.securityContext?.capabilities ?? {};
    gateway.securityContext = {
      ...gateway.securityContext,
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      capabilities: {
        ...capabilities,
        add: [...new Set([...(capabilities.add ?? []), 'NET_BIND_SERVICE'])],
      },
    };
  }
}

const UNPRIVILEGED_PORT_START = 'net.ipv4.ip_unprivileged_port_start';

/** Safe (allowed by every kubelet) from Kubernetes 1.22. */
async function allowsUnprivilegedPortsSysctl(
  cluster: ConnectedCluster,
): Promise<boolean> {
  const { major, minor } = await cluster.version.getCode();
  return (
    Number(major) > 1 || (Number(major) === 1 && parseInt(minor, 10) >= 22)
  );
}

/**
 * The Service with each remapped port's targetPort set to the port itself: istiod then has
 * the gateway listen on it. The whole list is applied (others' fields of each port kept), so
 * that no port is lost where lists are replaced as a whole.
 */
function serviceOnOwnPorts(service: KubeObject): KubeObject {
  return onlySpec(service, {
    ports: service.spec.ports.map((p: { port: number }) => ({
      ...p,
      targetPort: p.port,
    })),
  });
}

/**
 * The gateway as a StatefulSet: same labels, selector and pod template, plus what TKE needs to
 * give each pod an EIP that survives restarts (a stable pod name keeps the EIP claim).
 */
export function statefulSetFor(
  deployment: KubeObject,
  options: StatefulSetOptions,
): KubeObject {
  const { name, namespace, labels } = deployment.metadata!;
  const template = structuredClone(deployment.spec.template);
  template.metadata = template.metadata ?? {};
  template.metadata.annotations = {
    ...template.metadata.annotations,
    [TKE.networks]: options.networkMode,
    [TKE.eipAttributes]: JSON.stringify(options.eipAttributes),
    [TKE.eipClaimDeletePolicy]: 'Never',
    [TKE.vpcIpClaimDeletePolicy]: 'Never',
    ...(options.eipIds?.length && {
      [TKE.eipIdList]: options.eipIds.join(','),
    }),
  };
  const gateway = gatewayContainer(template.spec);
  if (options.listenOn) listenOnServicePorts(template.spec, options.listenOn);
  const eni =
    options.networkMode === 'tke-direct-eni'
      ? TKE.directEniResource
      : TKE.eniIpResource;
  const owner = (gateway.env ?? []).find(
    (e: { name: string }) => e.name === 'ISTIO_META_OWNER',
  );
  if (owner?.value) {
    owner.value = owner.value.replace('/deployments/', '/statefulsets/');
  }
  const extra = { [eni]: '1', [TKE.eipResource]: '1' };
  gateway.resources = {
    ...gateway.resources,
    requests: { ...gateway.resources?.requests, ...extra },
    limits: { ...gateway.resources?.limits, ...extra },
  };
  const { minReadySeconds, revisionHistoryLimit } = deployment.spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name,
      namespace,
      ...(labels && { labels }),
      annotations: { [MIGRATED_FROM_ANNOTATION]: `Deployment/${name}` },
    },
    spec: {
      replicas: options.replicas,
      serviceName: options.serviceName,
      selector: deployment.spec.selector,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      ...(minReadySeconds !== undefined && { minReadySeconds }),
      ...(revisionHistoryLimit !== undefined && { revisionHistoryLimit }),
      template,
    },
  };
}

function isRetired(
  deployment: KubeObject | undefined,
  retire: Retire,
): boolean {
  return (
    !deployment ||
    (retire === 'scale-to-zero' && deployment.spec?.replicas === 0)
  );
}

/** The step that retires the Deployment: deleted, or scaled to zero replicas. */
function retirement(deployment: KubeObject, retire: Retire) {
  return retire === 'delete'
    ? { remove: [deployment] }
    : { objects: [scaledToZero(deployment)] };
}

/** Only the replica count: the rest of the Deployment stays as its owners left it. */
function scaledToZero(deployment: KubeObject): KubeObject {
  return onlySpec(deployment, { replicas: 0 });
}

/**
 * The gateway's Service: the one named (an earlier run's serviceName, or the input's), else
 * the one that selects the gateway's pods. It becomes the StatefulSet's governing Service.
 */
async function gatewayService(
  cluster: ConnectedCluster,
  namespace: string,
  name: string | undefined,
  workload: KubeObject | undefined,
): Promise<KubeObject | undefined> {
  if (name) {
    return readObject(cluster, {
      apiVersion: 'v1',
      kind: 'Service',
      namespace,
      name,
    });
  }
  const services = await listObjects(cluster, {
    apiVersion: 'v1',
    kind: 'Service',
    namespace,
  });
  const podLabels = workload?.spec?.template?.metadata?.labels;
  return services.find(s => matchesSelector(s.spec?.selector, podLabels));
}

/**
 * The Service's switch to its own ports, once only the StatefulSet's pods serve it: refused
 * when the StatefulSet was made without listening on them (its pods could not bind them).
 */
function serviceSwitch(
  input: Input,
  preflight: Preflight,
  service: KubeObject | undefined,
  statefulSet: KubeObject,
): KubeObject[] {
  if (!input.listenOnServicePorts || !service) return [];
  const podSpec = statefulSet.spec.template.spec;
  const ports = remappedPorts(service, podSpec);
  if (ports.length === 0) return [];
  const declared = (gatewayContainer(podSpec).ports ?? []).map(
    (p: { containerPort: number }) => p.containerPort,
  );
  const missing = ports.filter(p => !declared.includes(p.port));
  return preflight.check(
    missing.length === 0,
    `Service ${describeObject(service)} moves to targetPorts ${ports
      .map(p => p.port)
      .join(', ')} after the Deployment is retired`,
    `StatefulSet ${describeObject(
      statefulSet,
    )} was made without listenOnServicePorts: its pods do not listen on ${missing
      .map(p => p.port)
      .join(
        ', ',
      )}. Run again without listenOnServicePorts, or recreate the StatefulSet`,
  )
    ? [serviceOnOwnPorts(service)]
    : [];
}

const inputSchema = {
  cluster: clusterInput,
  namespace: namespaceInput,
  gateway: gatewayInput(
    'Name of the gateway Deployment (the StatefulSet gets the same name)',
  ),
  serviceName: optionalInput(
    'dnsLabel',
    "The StatefulSet's serviceName. Default: the Service that selects the gateway pods",
  ),
  replicas: (z: Zod) =>
    z
      .number({
        description:
          "Pods (and so EIPs). Default: the Deployment's replicas, at least 1",
      })
      .int()
      .min(1)
      .max(20)
      .optional(),
  networkMode: (z: Zod) =>
    z
      .enum(['tke-route-eni', 'tke-direct-eni'], {
        description: 'VPC-CNI mode of the pods. Default: tke-route-eni',
      })
      .default('tke-route-eni'),
  bandwidthMbps: (z: Zod) =>
    z
      .number({ description: 'EIP bandwidth cap in Mbps. Default: 100' })
      .int()
      .min(1)
      .max(10000)
      .default(100),
  isp: (z: Zod) =>
    checkedString(z, 'isp', 'EIP line (ISP). Default: BGP').default('BGP'),
  internetChargeType: (z: Zod) =>
    z
      .enum(
        [
          'TRAFFIC_POSTPAID_BY_HOUR',
          'BANDWIDTH_POSTPAID_BY_HOUR',
          'BANDWIDTH_PACKAGE',
        ],
        { description: 'EIP billing. Default: the ipamd default' },
      )
      .optional(),
  eipIds: (z: Zod) =>
    z
      .array(
        z.string().regex(/^eip-[a-z0-9]{1,32}$/, {
          message: 'must be an EIP id such as eip-abc123',
        }),
        {
          description:
            'Existing EIPs to reuse (one per pod) instead of allocating new ones',
        },
      )
      .optional(),
  listenOnServicePorts: flagInput(
    "Where the gateway's Service maps ports (80->8080), have the pods listen on the Service's own ports, as clients of the EIPs expect: the pods may bind ports below 1024 (the sysctl net.ipv4.ip_unprivileged_port_start=0 from Kubernetes 1.22, before that root with NET_BIND_SERVICE), and once the Deployment is retired the Service's targetPorts become its ports. Default: false (clients then reach the container ports)",
    false,
  ),
  retire: (z: Zod) =>
    z
      .enum(['delete', 'scale-to-zero'], {
        description:
          'What happens to the Deployment once the EIPs answer. Default: delete (its manifest is kept in the backup output)',
      })
      .default('delete'),
  timeoutSeconds: (z: Zod) => timeoutInput(z, 300),
};

type Input = Parsed<typeof inputSchema>;

/** What the move needs of the cluster: TKE with VPC-CNI, and no foreign StatefulSet. */
async function checkCluster(
  input: Input,
  cluster: ConnectedCluster,
  preflight: Preflight,
  found: { deployment?: KubeObject; existing?: KubeObject },
): Promise<void> {
  const { cluster: clusterName, namespace, gateway } = input;
  const target = `${namespace}/${gateway}`;
  preflight.check(
    cluster.provider === 'tencent',
    `cluster ${clusterName} is a TKE cluster`,
    `cluster ${clusterName} is on ${cluster.provider}, and pod EIPs are a TKE feature`,
  );
  preflight.check(
    Boolean(found.deployment || found.existing),
    `Deployment ${target} found`,
    `there is no Deployment ${target} on cluster ${clusterName}`,
  );
  if (found.existing) {
    preflight.check(
      found.existing.metadata?.annotations?.[MIGRATED_FROM_ANNOTATION] ===
        `Deployment/${gateway}`,
      `StatefulSet ${target} was created by an earlier run; it is kept`,
      `a StatefulSet ${target} exists that this action did not create (no ${MIGRATED_FROM_ANNOTATION} annotation)`,
    );
  }
  const vpcCni = await vpcCniState(cluster, tencentCloudOf(cluster));
  preflight.check(
    vpcCni.enabled,
    `VPC-CNI is on (${vpcCni.evidence})`,
    `VPC-CNI is off on cluster ${clusterName} (${vpcCni.evidence}): pods cannot get ENI IPs, so they cannot get EIPs. Enable VPC-CNI for the cluster first`,
  );
}

/** Enough EIPs for the pods: the ones given, or quota for new ones. */
async function checkEips(
  input: Input,
  cluster: ConnectedCluster,
  preflight: Preflight,
  replicas: number,
): Promise<void> {
  const cloud = tencentCloudOf(cluster);
  if (input.eipIds) {
    preflight.check(
      input.eipIds.length === replicas,
      `reusing EIPs ${input.eipIds.join(', ')}`,
      `eipIds lists ${input.eipIds.length} EIPs for ${replicas} pods`,
    );
  } else if (cloud && cluster.region) {
    const quota = await eipQuota(cloud, cluster.region);
    if (quota.available === undefined) {
      preflight.warn(
        `EIP quota not checked (${quota.evidence}); an exhausted quota shows as FailedAllocateEIP events on the pods`,
      );
    } else {
      preflight.check(
        quota.available >= replicas,
        `EIP quota allows ${replicas} more (${quota.evidence})`,
        `the EIP quota allows ${quota.available} more EIPs in ${cluster.region} and ${replicas} are needed (${quota.evidence})`,
      );
    }
  } else {
    preflight.warn(
      `EIP quota not checked: no Tencent Cloud account covers region ${
        cluster.region ?? '(unset)'
      } of cluster ${input.cluster}`,
    );
  }
}

/**
 * EIPs billed by bandwidth pay for it every hour, whatever the traffic: at a cap such as the
 * default 100 Mbps that is far more than the CLB the migration removes. Traffic billing (the
 * ipamd default) has no fixed fee while the EIP is bound.
 */
function warnEipCost(
  input: Input,
  preflight: Preflight,
  replicas: number,
  prices: PriceCatalogue,
): void {
  if (input.internetChargeType !== 'BANDWIDTH_POSTPAID_BY_HOUR') return;
  const monthly = (resource: BillableResource) =>
    resourceMonthlyCost(resource, prices).parts.reduce(
      (sum, part) => sum + part.amountCny,
      0,
    );
  const eips =
    replicas *
    monthly({
      provider: 'tencent',
      kind: 'eip',
      id: 'new',
      network: 'public',
      bound: true,
      chargeType: input.internetChargeType,
      bandwidthMbps: input.bandwidthMbps,
    });
  const clb = monthly({
    provider: 'tencent',
    kind: 'load-balancer',
    id: 'the gateway CLB',
    network: 'public',
  });
  if (eips > clb) {
    preflight.warn(
      `${replicas} EIP(s) billed by bandwidth at ${
        input.bandwidthMbps
      } Mbps cost about ${roundCny(
        eips,
      )} CNY/month whatever the traffic, more than the ${roundCny(
        clb,
      )} CNY/month of the CLB this migration removes: leave internetChargeType unset (traffic billing) or lower bandwidthMbps`,
    );
  }
}

/**
 * Clients of a pod EIP reach container ports: a Service that maps ports hides a mismatch,
 * which the pods either fix (listenOnServicePorts) or leave to the clients.
 */
async function listeningPlan(
  input: Input,
  cluster: ConnectedCluster,
  preflight: Preflight,
  service: KubeObject | undefined,
  podSpec: KubeObject,
): Promise<StatefulSetOptions['listenOn']> {
  const ports = remappedPorts(service, podSpec);
  if (!service || ports.length === 0) return undefined;
  const mapped = ports.map(p => `${p.port}->${p.targetPort}`).join(', ');
  const { namespace, name } = service.metadata!;
  if (!input.listenOnServicePorts) {
    preflight.warn(
      `Clients of a pod EIP reach container ports directly, but Service ${namespace}/${name} maps ${mapped}: the gateway must listen on the public ports (listenOnServicePorts) or clients use the container ports, before DNS moves to the EIPs`,
    );
    return undefined;
  }
  const unprivilegedPortsSysctl = await allowsUnprivilegedPortsSysctl(cluster);
  preflight.pass(
    `Service ${namespace}/${name} maps ${mapped}: the StatefulSet's pods listen on ${ports
      .map(p => p.port)
      .join(', ')} themselves (${
      unprivilegedPortsSysctl
        ? `sysctl ${UNPRIVILEGED_PORT_START}=0`
        : 'as root with NET_BIND_SERVICE, as Kubernetes before 1.22 does not allow that sysctl'
    }), and the Service's targetPorts follow once the Deployment is retired`,
  );
  return { ports, unprivilegedPortsSysctl };
}

/** The StatefulSet that replaces the Deployment, once what it needs is checked. */
async function plannedStatefulSet(
  input: Input,
  cluster: ConnectedCluster,
  preflight: Preflight,
  deployment: KubeObject,
  service: KubeObject | undefined,
  prices: PriceCatalogue,
): Promise<KubeObject> {
  const { namespace, gateway } = input;
  const replicas =
    input.replicas ?? Math.max(deployment.spec?.replicas ?? 1, 1);
  const serviceName = input.serviceName ?? service?.metadata?.name;
  preflight.check(
    Boolean(serviceName),
    `StatefulSet serviceName: ${serviceName}`,
    `no Service in ${namespace} selects the pods of Deployment ${namespace}/${gateway}; set serviceName`,
  );
  await checkEips(input, cluster, preflight, replicas);
  warnEipCost(input, preflight, replicas, prices);
  const reinstalled = reinstallWarning(deployment);
  if (reinstalled) preflight.warn(reinstalled);
  const listenOn = await listeningPlan(
    input,
    cluster,
    preflight,
    service,
    deployment.spec.template.spec,
  );
  const statefulSet = statefulSetFor(deployment, {
    replicas,
    serviceName: serviceName ?? gateway,
    networkMode: input.networkMode,
    eipAttributes: {
      Bandwidth: String(input.bandwidthMbps),
      ISP: input.isp,
      ...(input.internetChargeType && {
        InternetChargeType: input.internetChargeType,
      }),
    },
    eipIds: input.eipIds,
    listenOn,
  });
  await checkPodCapacity(cluster, preflight, statefulSet);
  return statefulSet;
}

/**
 * Room for the StatefulSet's pods: nodes its nodeSelector picks that offer the ENI IP and EIP
 * resources its pods request (a node's limit depends on its instance type, and TKE's device
 * plugin publishes it as allocatable). A pod's fixed IP keeps it in its subnet's zone: with
 * every such node in one zone, a zone outage takes every EIP.
 */
async function checkPodCapacity(
  cluster: ConnectedCluster,
  preflight: Preflight,
  statefulSet: KubeObject,
): Promise<void> {
  const { namespace, name } = statefulSet.metadata!;
  const podSpec = statefulSet.spec.template.spec;
  // A pod without a nodeSelector may go to any node.
  const nodes = (
    await listObjects(cluster, { apiVersion: 'v1', kind: 'Node' })
  ).filter(
    node =>
      !podSpec.nodeSelector ||
      matchesSelector(podSpec.nodeSelector, node.metadata?.labels),
  );
  const usable = await checkSchedulable(
    cluster,
    {
      nodes,
      podSpec,
      needed: statefulSet.spec.replicas,
      what: `StatefulSet ${namespace}/${name}`,
      // A rerun: the StatefulSet's own pods already hold their resources.
      ownPods: pod =>
        pod.metadata?.namespace === namespace &&
        (pod.metadata?.ownerReferences ?? []).some(
          (o: { kind: string; name: string }) =>
            o.kind === 'StatefulSet' && o.name === name,
        ),
    },
    preflight,
  );
  const zones = new Set(
    nodes
      .filter(n => usable.includes(n.metadata!.name!))
      .map(n => n.metadata?.labels?.['topology.kubernetes.io/zone'])
      .filter(Boolean),
  );
  if (statefulSet.spec.replicas > 1 && zones.size === 1) {
    preflight.warn(
      `Every node that can take the gateway's ${
        statefulSet.spec.replicas
      } pods is in zone ${[...zones].join(
        '',
      )}: each pod's IP stays in its subnet's zone, so an outage of that zone takes every EIP. Add nodes in a second zone`,
    );
  }
}

const statefulSetReplicas = (statefulSet?: KubeObject): number =>
  statefulSet?.spec?.replicas ?? 1;

/**
 * HorizontalPodAutoscalers that scale the gateway's Deployment, with a warning for each that
 * may grow the gateway past what was checked.
 */
async function autoscalersOf(
  cluster: ConnectedCluster,
  preflight: Preflight,
  namespace: string,
  gateway: string,
  replicas: number,
): Promise<KubeObject[]> {
  let all: KubeObject[];
  try {
    all = await listObjects(cluster, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      namespace,
    });
  } catch (error) {
    // Not served before Kubernetes 1.23, or not readable by this account.
    preflight.warn(
      `HorizontalPodAutoscalers not checked (${
        (error as Error).message
      }): one that scales Deployment ${namespace}/${gateway} must be pointed at the StatefulSet by hand`,
    );
    return [];
  }
  const scaling = all.filter(
    hpa =>
      hpa.spec?.scaleTargetRef?.kind === 'Deployment' &&
      hpa.spec.scaleTargetRef.name === gateway,
  );
  for (const hpa of scaling) {
    const max = hpa.spec?.maxReplicas ?? replicas;
    if (max > replicas) {
      preflight.warn(
        `HorizontalPodAutoscaler ${namespace}/${
          hpa.metadata!.name
        } may scale the gateway to ${max} pods, each with an EIP of its own: EIP quota and node room were checked for ${replicas}, and DNS must follow the scaling (run ingress-atlas:dns:cutover with gateway after it), or set minReplicas and maxReplicas to ${replicas}`,
      );
    }
  }
  return scaling;
}

/**
 * The autoscaler pointed at the StatefulSet once its pods hold their EIPs: left on the retired
 * Deployment it would scale nothing (or a Deployment scaled to zero back up), and the
 * StatefulSet would never grow. Only the target changes; its bounds and metrics stay.
 */
function retargeted(hpa: KubeObject, gateway: string): KubeObject {
  return onlySpec(hpa, {
    scaleTargetRef: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: gateway,
    },
  });
}

/** The EIPs of the StatefulSet's pods, once every pod holds one. */
async function boundEips(
  ctx: { logger: LoggerService; signal?: AbortSignal; input: Input },
  cluster: ConnectedCluster,
  statefulSet: KubeObject,
): Promise<PodEip[]> {
  let eips = await podEips(cluster, statefulSet);
  if (!allBound(statefulSet, eips)) {
    eips = await waitForPodEips(cluster, statefulSet, {
      timeoutSeconds: ctx.input.timeoutSeconds,
      logger: ctx.logger,
      signal: ctx.signal,
    });
  }
  ctx.logger.info(
    `Gateway pods have their EIPs: ${eips.map(e => e.ip).join(', ')}`,
    { cluster: cluster.name, statefulSet: describeObject(statefulSet) },
  );
  return eips;
}

/**
 * Moves an ingress gateway from a Deployment behind a CLB to a StatefulSet whose pods carry
 * their own EIPs (TKE VPC-CNI), then retires the Deployment.
 *
 * @public
 */
export function createGatewayBindEipAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:bind-eip',
    description:
      'Turns an ingress gateway Deployment into a StatefulSet whose pods each get an elastic IP (TKE VPC-CNI), waits for the EIPs, then retires the Deployment.',
    examples,
    schema: {
      input: inputSchema,
      output: {
        statefulSet: z =>
          z.string({ description: 'The StatefulSet, as namespace/name' }),
        ...gatewayEipOutputs,
        ...changeOutputs,
      },
    },
    intent: input =>
      `move gateway ${input.namespace}/${input.gateway} on cluster ${input.cluster} to pod EIPs`,
    async plan(ctx, { cluster, preflight }) {
      const { cluster: clusterName, namespace, gateway, retire } = ctx.input;
      const target = `${namespace}/${gateway}`;
      const ref = { namespace, name: gateway, apiVersion: 'apps/v1' };
      const [deployment, existing] = await Promise.all([
        readObject(cluster, { ...ref, kind: 'Deployment' }),
        readObject(cluster, { ...ref, kind: 'StatefulSet' }),
      ]);
      const retired = isRetired(deployment, retire);
      if (!existing || !retired) {
        await checkCluster(ctx.input, cluster, preflight, {
          deployment,
          existing,
        });
      }
      const service = await gatewayService(
        cluster,
        namespace,
        existing?.spec?.serviceName ?? ctx.input.serviceName,
        existing ?? deployment,
      );
      const desired =
        !existing && deployment
          ? await plannedStatefulSet(
              ctx.input,
              cluster,
              preflight,
              deployment,
              service,
              options.clusters.prices,
            )
          : undefined;
      const autoscalers = await autoscalersOf(
        cluster,
        preflight,
        namespace,
        gateway,
        statefulSetReplicas(existing ?? desired),
      );
      const statefulSet = (existing ?? desired)!;
      const switched = statefulSet
        ? serviceSwitch(ctx.input, preflight, service, statefulSet)
        : [];
      preflight.done();

      ctx.output('statefulSet', target);
      let eips: PodEip[] = [];
      return {
        key: ['gateway.bind-eip', clusterName, namespace, gateway],
        steps: [
          {
            name: 'create-statefulset',
            objects: desired ? [desired] : [],
            createOnly: true,
          },
          {
            waitFor: `the EIPs of the pods of StatefulSet ${target}`,
            wait: async () => {
              eips = await boundEips(ctx, cluster, statefulSet);
            },
          },
          {
            name: 'retarget-autoscalers',
            objects: autoscalers.map(hpa => retargeted(hpa, gateway)),
          },
          {
            name: 'retire-deployment',
            ...(deployment && !retired && retirement(deployment, retire)),
          },
          { name: 'listen-on-service-ports', objects: switched },
        ],
        inPlace: `${target} already runs as a StatefulSet with pod EIPs`,
        finish: async () => {
          const publicIps = eips.map(e => e.ip!);
          const cloud = tencentCloudOf(cluster);
          const addresses =
            publicIps.length > 0 && cloud && cluster.region
              ? await describeAddresses(cloud, cluster.region, publicIps)
              : [];
          ctx.output('publicIps', publicIps);
          ctx.output('addresses', gatewayEipsOf(eips, addresses));
        },
      };
    },
  });
}
