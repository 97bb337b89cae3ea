import { stringify } from 'yaml';
import { KubeObject, labelSelectorOf, listObjects, readObject } from '../kube';
import {
  ActionOptions,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  changeOutputs,
  clusterInput,
  proxyInputs,
} from './common';
import { createAtlasAction } from './runner';
import {
  checkedString,
  nodeSelectorInput,
  portNumber,
  tolerateNodeTaintsInput,
} from './inputs';
import { checkSchedulable, tolerationsFor } from './scheduling';
import { examples } from './gatewayFrontProxy.examples';

/** Envoy forwarding each port, as raw TCP, to the same port of the upstream. */
export function envoyConfig(upstream: string, ports: number[]): string {
  return stringify({
    static_resources: {
      listeners: ports.map(port => ({
        name: `tcp-${port}`,
        address: { socket_address: { address: '0.0.0.0', port_value: port } },
        filter_chains: [
          {
            filters: [
              {
                name: 'envoy.filters.network.tcp_proxy',
                typed_config: {
                  '@type':
                    'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
                  stat_prefix: `tcp_${port}`,
                  cluster: `upstream-${port}`,
                  // One line per connection: who came, how long, how many bytes, what upstream.
                  access_log: [
                    {
                      name: 'envoy.access_loggers.stdout',
                      typed_config: {
                        '@type':
                          'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
                      },
                    },
                  ],
                },
              },
            ],
          },
        ],
      })),
      clusters: ports.map(port => ({
        name: `upstream-${port}`,
        type: 'STRICT_DNS',
        connect_timeout: '5s',
        load_assignment: {
          cluster_name: `upstream-${port}`,
          endpoints: [
            {
              lb_endpoints: [
                {
                  endpoint: {
                    address: {
                      socket_address: { address: upstream, port_value: port },
                    },
                  },
                },
              ],
            },
          ],
        },
      })),
    },
  });
}

export function frontProxyObjects(options: {
  namespace: string;
  name: string;
  nodeSelector: Record<string, string>;
  upstream: string;
  ports: number[];
  image: string;
  tolerations: object[];
}): KubeObject[] {
  const { namespace, name, nodeSelector, upstream, ports, image, tolerations } =
    options;
  // Envoy answers once its listeners are bound; a TCP probe on the node's port says so
  // without exposing the admin interface on the host network.
  const probe = (periodSeconds: number, failureThreshold: number) => ({
    tcpSocket: { port: ports[0] },
    periodSeconds,
    failureThreshold,
  });
  const labels = { app: name, [MANAGED_BY_LABEL]: MANAGED_BY };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels },
      data: { 'envoy.yaml': envoyConfig(upstream, ports) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: {
            hostNetwork: true,
            // Host-network pods resolve through the node otherwise, and the upstream is a cluster name.
            dnsPolicy: 'ClusterFirstWithHostNet',
            nodeSelector,
            ...(tolerations.length > 0 && { tolerations }),
            containers: [
              {
                name: 'envoy',
                image,
                args: ['-c', '/etc/envoy/envoy.yaml'],
                // The image's entrypoint drops to the envoy user (uid 101) unless ENVOY_UID is 0,
                // and uid 101 cannot bind ports below 1024: run as root with no capability but
                // NET_BIND_SERVICE, as the image's documentation describes.
                env: [{ name: 'ENVOY_UID', value: '0' }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
                },
                readinessProbe: probe(5, 3),
                livenessProbe: probe(10, 6),
                ports: ports.map(port => ({
                  containerPort: port,
                  hostPort: port,
                  protocol: 'TCP',
                })),
                volumeMounts: [{ name: 'config', mountPath: '/etc/envoy' }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name } }],
          },
        },
      },
    },
  ];
}

const FRONT_PROXY = { namespace: 'front-proxy', name: 'tcp-front-proxy' };

/**
 * Envoy on dedicated host-network nodes, passing 80/443 through to the mesh's ingress gateway.
 *
 * @public
 */
export function createGatewayFrontProxyAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:front-proxy',
    description:
      "Runs Envoy (tcp_proxy) on the host network of dedicated nodes, forwarding ports such as 80/443 to the ingress gateway's Service, so the nodes' public IPs become the entry without a load balancer.",
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        ...proxyInputs(FRONT_PROXY),
        nodeSelector: z =>
          nodeSelectorInput(z, 'Labels of the dedicated proxy nodes'),
        upstream: z =>
          checkedString(
            z,
            'host',
            'Where to forward: a Service name. Default: istio-ingressgateway.istio-system.svc.cluster.local',
          ).default('istio-ingressgateway.istio-system.svc.cluster.local'),
        ports: z =>
          z
            .array(portNumber(z), {
              description: 'Ports to forward. Default: 80 and 443',
            })
            .min(1)
            .max(32)
            .default([80, 443]),
        image: z =>
          checkedString(
            z,
            'image',
            'Envoy image. Default: envoyproxy/envoy:v1.29.1',
          ).default('envoyproxy/envoy:v1.29.1'),
        tolerateNodeTaints: tolerateNodeTaintsInput,
      },
      output: {
        nodeAddresses: z =>
          z.array(z.string(), {
            description:
              'Addresses of the proxy nodes (point DNS at their public IPs)',
          }),
        ...changeOutputs,
      },
    },
    intent: ({ cluster, namespace, name }) =>
      `run front proxy ${namespace}/${name} on cluster ${cluster}`,
    async plan(ctx, { cluster, preflight }) {
      const { namespace, name, nodeSelector, upstream, ports, image } =
        ctx.input;
      const selector = labelSelectorOf(nodeSelector);
      const nodes = selector
        ? await listObjects(cluster, {
            apiVersion: 'v1',
            kind: 'Node',
            labelSelector: selector,
          })
        : [];
      preflight.check(
        nodes.length > 0,
        `${nodes.length} proxy node(s) match ${selector}`,
        `no node matches ${selector || 'an empty nodeSelector'}`,
      );
      const tolerations = ctx.input.tolerateNodeTaints
        ? tolerationsFor(nodes)
        : [];
      const objects = frontProxyObjects({
        namespace,
        name,
        nodeSelector,
        upstream,
        ports,
        image,
        tolerations,
      });
      if (nodes.length > 0) {
        await checkSchedulable(
          cluster,
          {
            nodes,
            podSpec: objects[2].spec.template.spec,
            needed: 1,
            what: `front proxy ${namespace}/${name}`,
            ownPods: pod =>
              pod.metadata?.labels?.app === name &&
              pod.metadata?.namespace === namespace,
          },
          preflight,
        );
      }
      const [service, serviceNamespace] = upstream.split('.');
      if (upstream.includes('.svc')) {
        const target = await readObject(cluster, {
          apiVersion: 'v1',
          kind: 'Service',
          namespace: serviceNamespace,
          name: service,
        });
        const served: number[] = (target?.spec?.ports ?? []).map(
          (p: { port: number }) => p.port,
        );
        preflight.check(
          Boolean(target) && ports.every(p => served.includes(p)),
          `upstream Service ${serviceNamespace}/${service} serves ${ports.join(
            ', ',
          )}`,
          target
            ? `upstream Service ${serviceNamespace}/${service} serves ${served.join(
                ', ',
              )}, not all of ${ports.join(', ')}`
            : `there is no upstream Service ${serviceNamespace}/${service}`,
        );
      }
      const addresses = nodes.flatMap(n =>
        (n.status?.addresses ?? [])
          .filter((a: { type: string }) =>
            ['ExternalIP', 'InternalIP'].includes(a.type),
          )
          .map(
            (a: { type: string; address: string }) =>
              `${n.metadata!.name} ${a.type} ${a.address}`,
          ),
      );
      ctx.output('nodeAddresses', addresses);
      ctx.logger.info(
        'One proxy node is a single point of failure: for a shared address, run keepalived with an HAVIP (which can carry an EIP) across the proxy nodes',
      );
      return {
        objects,
        onlyOurs: true,
        key: ['gateway.front-proxy', cluster.name, namespace, name],
        inPlace: `front proxy ${namespace}/${name} is in place`,
      };
    },
  });
}
