import type { Severity } from '../model';

/**
 * What a finding code means, independent of the objects a finding names: each finding's own
 * `message` and `fix` say what was found where and what to change there.
 *
 * @public
 */
export interface FindingDefinition {
  /** A short name for lists and headings. */
  title: string;
  /**
   * The severities findings of this code are raised with, most severe first; the description
   * says when each applies.
   */
  severities: readonly Severity[];
  /** What is wrong and why it matters. */
  description: string;
  /** What to do about it in general. */
  fix: string;
}

/**
 * A finding code, e.g. `APISERVER_PUBLIC`. Each has its definition below; the compiler holds
 * this list and the definitions to the same codes.
 *
 * @public
 */
export type FindingCode =
  | 'MALFORMED_OBJECT'
  | 'APISERVER_PUBLIC'
  | 'ADMIN_PORT_PUBLIC'
  | 'GATEWAY_SELECTOR_NO_WORKLOAD'
  | 'VS_MISSING_GATEWAY'
  | 'CREDENTIAL_SECRET_MISSING'
  | 'CREDENTIAL_SECRET_WRONG_NAMESPACE'
  | 'CERT_EXPIRING'
  | 'HOSTNETWORK_DNS_POLICY'
  | 'HOSTNETWORK_PRIVILEGED_PORT'
  | 'HOST_PORT_CONFLICT'
  | 'MIXED_ROOT_CA'
  | 'TCM_MANAGED'
  | 'SINGLE_REPLICA_PUBLIC_LB'
  | 'POD_EIP_NOT_STABLE'
  | 'GATEWAY_PLAINTEXT_PUBLIC'
  | 'SERVICE_BYPASSES_GATEWAY'
  | 'IDLE_LOAD_BALANCER'
  | 'ORPHAN_LOAD_BALANCER'
  | 'IDLE_EIP'
  | 'CLB_TO_POD_EIP_SAVING';

/**
 * Every finding code the analyzers raise. The engine's analyzers declare the codes they
 * raise from this list, and `docs/findings.md` is rendered from it (`yarn docs:findings`).
 */
const DEFINITIONS: Record<FindingCode, FindingDefinition> = {
  MALFORMED_OBJECT: {
    title: 'Object left out: a field has the wrong type',
    severities: ['error'],
    description:
      'The collector or the manifest reader left an object out because a field the atlas reads has the wrong type. Whatever the object routes or exposes is missing from the picture until it is fixed.',
    fix: 'Correct the named field of the object; the finding names the object, the field and what is wrong with it.',
  },
  APISERVER_PUBLIC: {
    title: 'Kubernetes API server reachable from the internet',
    severities: ['error'],
    description:
      "A public entry (a load balancer, or a proxy behind one) forwards to the cluster's API server, directly or through the `default/kubernetes` Service. Anyone on the internet can try credentials and exploits against it.",
    fix: 'Put the API server behind an internal load balancer and reach it from other VPCs through a VPC endpoint (about 0.1 CNY/h) (template "Reach a cluster\'s API server from another VPC"), then remove the public one; or at least restrict `loadBalancerSourceRanges` to known addresses.',
  },
  ADMIN_PORT_PUBLIC: {
    title: 'Admin, debug or telemetry port on a public entry',
    severities: ['error', 'warning'],
    description:
      "A public entry exposes ports that serve control, debugging or telemetry: Envoy admin (15000) and istiod's ports (15010, 15014; 15012 and 15017 except on an east-west gateway) are errors, stats and add-on dashboards (15090, Kiali, Prometheus, Grafana, Jaeger) warnings.",
    fix: 'Remove the ports from the public entry and reach them with `kubectl port-forward` or an internal load balancer, or restrict the entry with `loadBalancerSourceRanges`.',
  },
  GATEWAY_SELECTOR_NO_WORKLOAD: {
    title: 'Istio Gateway selects no gateway pods',
    severities: ['error', 'warning'],
    description:
      "An Istio Gateway's `selector` matches no proxy, so routes bound to it serve nothing. On a live cluster whose workloads could all be read this is an error. In manifests the proxy may be in another file or repository: a warning, and the Gateway's servers are kept as declared.",
    fix: "Point `spec.selector` at an existing gateway deployment (e.g. `istio: ingressgateway`), deploy a gateway whose pods carry those labels, or include the gateway's Deployment in the input.",
  },
  VS_MISSING_GATEWAY: {
    title: 'VirtualService bound to a Gateway that does not exist',
    severities: ['error'],
    description:
      'A VirtualService names a Gateway in `spec.gateways` that is not in the cluster; its routes are not served there.',
    fix: "Create the Gateway, or reference an existing one as `<namespace>/<name>` (a bare name means the VirtualService's own namespace).",
  },
  CREDENTIAL_SECRET_MISSING: {
    title: 'TLS secret does not exist',
    severities: ['error'],
    description:
      "A TLS listener's certificate Secret (Istio `credentialName`, Ingress `tls.secretName`) exists nowhere in the cluster: the gateway cannot serve HTTPS for those hosts.",
    fix: 'Create a `kubernetes.io/tls` Secret with that name in the namespace the gateway reads it from, or correct the name.',
  },
  CREDENTIAL_SECRET_WRONG_NAMESPACE: {
    title: 'TLS secret in the wrong namespace',
    severities: ['error'],
    description:
      'The certificate Secret exists, but not where the proxy reads it. Istio reads `credentialName` from the namespace of the gateway workload, not of the Gateway object; an Ingress reads it from its own namespace.',
    fix: 'Create the Secret in the namespace the gateway reads it from, e.g. by issuing the certificate there.',
  },
  CERT_EXPIRING: {
    title: 'Certificate expiring or expired',
    severities: ['error', 'warning'],
    description:
      'A certificate a gateway serves expires within 30 days (warning) or has expired (error).',
    fix: "Renew the certificate in the Secret; if cert-manager issues it, check the Certificate's status and events for why renewal has not happened.",
  },
  HOSTNETWORK_DNS_POLICY: {
    title: 'Host-network gateway cannot resolve cluster names',
    severities: ['error'],
    description:
      "A gateway (or a front proxy forwarding to names) runs on the host network with the default DNS policy, so it resolves names with the node's resolver: it cannot find istiod or the Services it forwards to, and fails to start.",
    fix: 'Set `spec.template.spec.dnsPolicy: ClusterFirstWithHostNet` on the workload.',
  },
  HOSTNETWORK_PRIVILEGED_PORT: {
    title: 'Host-network proxy cannot bind its ports below 1024',
    severities: ['error'],
    description:
      "A gateway or front proxy on the host network listens on ports below 1024 (80, 443) as a user that may not bind them: on the node's network only a process with CAP_NET_BIND_SERVICE may, the sysctl `net.ipv4.ip_unprivileged_port_start` cannot be set for a host-network pod, and Kubernetes gives an added capability to root only. Envoy's official image switches to uid 101 unless `ENVOY_UID` is 0. The container fails to start.",
    fix: 'Run the container as root with NET_BIND_SERVICE the only capability added (`runAsUser: 0`, `capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}`), and for Envoy\'s image set `ENVOY_UID=0` (template "Run an ingress gateway on the host network").',
  },
  HOST_PORT_CONFLICT: {
    title: 'Host and port claimed twice',
    severities: ['error', 'warning'],
    description:
      'Two Istio Gateway objects on the same proxy claim one host and port (error: Istio keeps one and drops the other), or two gateways of a cluster do (warning: DNS can point at only one).',
    fix: 'Keep one server or listener for the host and port: merge the Gateway objects, or remove the host from the gateway that should not serve it.',
  },
  MIXED_ROOT_CA: {
    title: 'Control planes trusting different root CAs',
    severities: ['error', 'warning'],
    description:
      'Control planes of one mesh (error), or namespaces of one cluster served by different control planes (warning: expected while migrating), trust different root CAs: workloads on either side cannot talk mTLS to each other.',
    fix: 'Give every control plane of the mesh intermediate CAs from one root (the `cacerts` Secret in `istio-system`), or keep the meshes apart and move traffic between them through gateways.',
  },
  TCM_MANAGED: {
    title: "Istio run by Tencent's managed mesh (TCM)",
    severities: ['warning'],
    description:
      "The mesh's control plane is Tencent Cloud Mesh, which is being retired: plan the move to a self-managed istiod.",
    fix: 'Install a self-managed istiod next to it (new revision, its own root CA), move gateways and workloads over namespace by namespace, and shift traffic with DNS; both meshes run side by side meanwhile (template "Migrate from TCM to self-managed Istio").',
  },
  SINGLE_REPLICA_PUBLIC_LB: {
    title: 'Public load balancer in front of a single gateway pod',
    severities: ['warning'],
    description:
      'A public load balancer sends traffic to a gateway that runs one replica: one restart, eviction or node failure takes the site down.',
    fix: 'Run at least 2 replicas (HPA `minReplicas: 2`) with a PodDisruptionBudget.',
  },
  POD_EIP_NOT_STABLE: {
    title: 'Pod EIPs change when pods are replaced',
    severities: ['warning'],
    description:
      'Gateway pods hold their own EIPs, but TKE keeps an EIP across restarts only for a StatefulSet pod (stable name) with `eip-claim-delete-policy: Never`: a new pod gets a new address and DNS points at the old one.',
    fix: 'Run the gateway as a StatefulSet with the pod annotation `tke.cloud.tencent.com/eip-claim-delete-policy: "Never"`; DNS must still follow if a pod is deleted for good.',
  },
  GATEWAY_PLAINTEXT_PUBLIC: {
    title: 'Public host served over plain HTTP only',
    severities: ['warning'],
    description:
      'A gateway serves a host reachable from the internet over HTTP only: traffic and credentials cross the internet unencrypted.',
    fix: 'Serve the host over HTTPS and redirect HTTP to it, as the gateway is configured: an HTTPS server with a credentialName on an Istio Gateway (template "Enable HTTPS on a gateway host"), a spec.tls entry on the Ingress for an ingress controller, an HTTPS listener with certificateRefs on a Gateway API Gateway.',
  },
  SERVICE_BYPASSES_GATEWAY: {
    title: "Service bypasses the mesh's ingress gateway",
    severities: ['info'],
    description:
      "A Service has its own public load balancer in a cluster that has a mesh: it skips the gateway's TLS, policies and telemetry, and costs a load balancer of its own.",
    fix: 'Route it through the ingress gateway (Gateway + VirtualService) and turn the Service back into ClusterIP (template "Expose a service through the mesh").',
  },
  IDLE_LOAD_BALANCER: {
    title: 'Load balancer serving nothing',
    severities: ['warning'],
    description:
      'A load balancer with no listeners or no targets is billed every hour for nothing.',
    fix: 'Delete it (`DeleteLoadBalancer`) after checking that nothing outside the clusters uses it.',
  },
  ORPHAN_LOAD_BALANCER: {
    title: 'Load balancer whose Service is gone',
    severities: ['warning'],
    description:
      'A load balancer created for a Kubernetes Service that no longer exists is still billed.',
    fix: 'Delete it (`DeleteLoadBalancer`) after checking that nothing outside the clusters uses it.',
  },
  IDLE_EIP: {
    title: 'Elastic IP bound to nothing',
    severities: ['warning'],
    description: 'An EIP bound to no resource is billed for being idle.',
    fix: 'Release it (`ReleaseAddresses`) unless the address must be kept for DNS or allow-lists; then bind it where it is needed.',
  },
  CLB_TO_POD_EIP_SAVING: {
    title: 'Pod EIPs would save a CLB',
    severities: ['info'],
    description:
      'A public CLB in front of a gateway costs more each month than giving the gateway pods their own EIPs would.',
    fix: 'Give the gateway pods their own EIPs (VPC-CNI), point DNS at them and remove the CLB (template "Move an ingress gateway from CLB to a pod EIP"); mind address stability, DNS and per-GB traffic.',
  },
};

/**
 * Every finding code with its definition and the anchor of its section in `docs/findings.md`,
 * in the order the documentation lists them.
 *
 * @public
 */
export const FINDINGS_CATALOGUE: Readonly<
  Record<FindingCode, FindingDefinition & { docsAnchor: string }>
> = Object.fromEntries(
  Object.entries(DEFINITIONS).map(([code, definition]) => [
    code,
    { ...definition, docsAnchor: findingDocsAnchor(code) },
  ]),
) as Record<FindingCode, FindingDefinition & { docsAnchor: string }>;

/**
 * Every finding code, in catalogue order.
 *
 * @public
 */
export const FINDING_CODES = Object.keys(DEFINITIONS) as FindingCode[];

/**
 * Whether a string is a catalogued finding code.
 *
 * @public
 */
export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(DEFINITIONS, code);
}

/**
 * The anchor GitHub and Backstage's TechDocs give the code's heading in `docs/findings.md`: the
 * heading is the code itself, lower-cased.
 */
function findingDocsAnchor(code: string): string {
  return code.toLowerCase();
}
