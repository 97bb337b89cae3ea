import {
  ContainerSpec,
  bindingPrivilegedPorts,
  matchesSelector,
  privilegedPortsBlocked,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { KubeObject, labelSelectorOf, listObjects, readObject } from '../kube';
import {
  ActionOptions,
  changeOutputs,
  clusterInput,
  gatewayInput,
  namespaceInput,
} from './common';
import { createAtlasAction } from './runner';
import { nodeSelectorInput, tolerateNodeTaintsInput } from './inputs';
import {
  checkSchedulable,
  tolerationsFor,
  withTolerations,
} from './scheduling';
import { examples } from './gatewayHostNetwork.examples';

/**
 * The gateway Deployment on the host network of dedicated nodes. One pod per node and port:
 * the rollout replaces pods one at a time instead of surging, or the new pod cannot bind. A
 * container that declares ports below 1024 and could not bind them on the node's network runs
 * as root with only NET_BIND_SERVICE added (and Envoy's image keeps root).
 */
export function hostNetworkDeployment(
  deployment: KubeObject,
  nodeSelector: Record<string, string>,
  tolerations: ReturnType<typeof tolerationsFor>,
): KubeObject {
  const { name, namespace, labels, annotations } = deployment.metadata!;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels, annotations },
    spec: {
      ...deployment.spec,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
      },
      template: {
        ...deployment.spec.template,
        spec: {
          ...deployment.spec.template.spec,
          hostNetwork: true,
          // Without it the gateway resolves names through the node and cannot find istiod.
          dnsPolicy: 'ClusterFirstWithHostNet',
          containers: privilegedPortsBound(deployment.spec.template.spec),
          nodeSelector,
          ...(tolerations.length > 0 && {
            tolerations: withTolerations(
              deployment.spec.template.spec.tolerations,
              tolerations,
            ),
          }),
        },
      },
    },
  };
}

/** The pod's containers, those that could not bind their ports below 1024 made able to. */
function privilegedPortsBound(podSpec: KubeObject): ContainerSpec[] {
  return (podSpec.containers ?? []).map((container: ContainerSpec) =>
    privilegedPortsBlocked(podSpec.securityContext, container)
      ? bindingPrivilegedPorts(container)
      : container,
  );
}

/**
 * Runs a gateway on the host network of dedicated nodes, reached on the nodes' own (elastic) IPs.
 *
 * @public
 */
export function createGatewayHostNetworkAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:host-network',
    description:
      'Runs a gateway Deployment on the host network of dedicated nodes (dnsPolicy ClusterFirstWithHostNet, one pod per node, root with only NET_BIND_SERVICE where it listens below 1024), so it answers on the nodes’ own IPs without a load balancer.',
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        gateway: gatewayInput('The gateway Deployment'),
        nodeSelector: z =>
          nodeSelectorInput(
            z,
            'Labels of the dedicated gateway nodes, e.g. {"node-role/ingress": "true"}',
          ),
        tolerateNodeTaints: tolerateNodeTaintsInput,
      },
      output: {
        nodes: z =>
          z.array(z.string(), {
            description: 'Nodes the gateway pods can run on',
          }),
        publicIps: z =>
          z.array(z.string(), {
            description:
              "The nodes' public IPs (ExternalIP), for DNS: the gateway answers on them",
          }),
        ...changeOutputs,
      },
    },
    intent: ({ cluster, namespace, gateway }) =>
      `move gateway ${namespace}/${gateway} on cluster ${cluster} to the host network`,
    async plan(ctx, { cluster, preflight }) {
      const { namespace, gateway, nodeSelector } = ctx.input;
      const target = `${namespace}/${gateway}`;
      const deployment = await readObject(cluster, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: gateway,
      });
      preflight.check(
        Boolean(deployment),
        `Deployment ${target} found`,
        `there is no Deployment ${target} on cluster ${cluster.name}`,
      );
      preflight.check(
        Object.keys(nodeSelector).length > 0,
        `node selector ${labelSelectorOf(nodeSelector)}`,
        'nodeSelector is empty: host-network gateways belong on dedicated nodes',
      );
      const nodes = Object.keys(nodeSelector).length
        ? await listObjects(cluster, {
            apiVersion: 'v1',
            kind: 'Node',
            labelSelector: labelSelectorOf(nodeSelector),
          })
        : [];
      const replicas = deployment?.spec?.replicas ?? 1;
      preflight.check(
        nodes.length >= replicas,
        `${nodes.length} node(s) match for ${replicas} pod(s)`,
        `${nodes.length} node(s) match ${labelSelectorOf(
          nodeSelector,
        )} and ${replicas} pod(s) need one each`,
      );
      const desired =
        deployment &&
        hostNetworkDeployment(
          deployment,
          nodeSelector,
          ctx.input.tolerateNodeTaints ? tolerationsFor(nodes) : [],
        );
      if (desired && nodes.length > 0) {
        // With maxSurge 0 the running pod goes first: a new pod that cannot be placed would
        // leave the gateway down, so that is refused here.
        const selector = deployment.spec?.selector?.matchLabels ?? {};
        await checkSchedulable(
          cluster,
          {
            nodes,
            podSpec: desired.spec.template.spec,
            needed: replicas,
            what: `gateway ${target}`,
            ownPods: pod =>
              pod.metadata?.namespace === namespace &&
              matchesSelector(selector, pod.metadata?.labels),
          },
          preflight,
        );
      }
      preflight.done();

      const ports = (deployment!.spec.template.spec.containers ?? []).flatMap(
        (c: { ports?: Array<{ containerPort: number }> }) =>
          (c.ports ?? []).map(p => p.containerPort),
      );
      ctx.logger.warn(
        `On the host network the gateway listens on the nodes' ports ${ports.join(
          ', ',
        )}: clients and DNS must use the nodes' public IPs on those ports, and no other pod on those nodes may use them`,
      );
      const podSpec = deployment!.spec.template.spec;
      for (const container of podSpec.containers ?? []) {
        const blocked = privilegedPortsBlocked(
          podSpec.securityContext,
          container,
        );
        if (blocked) {
          ctx.logger.info(
            `Container ${container.name} could not bind ${blocked.ports.join(
              ', ',
            )} on the node's network (${
              blocked.reason
            }): it runs as root with only NET_BIND_SERVICE added`,
          );
        }
      }
      ctx.output(
        'nodes',
        nodes.map(n => n.metadata!.name!),
      );
      const externalIps = (node: KubeObject): string[] =>
        (node.status?.addresses ?? [])
          .filter((a: { type: string }) => a.type === 'ExternalIP')
          .map((a: { address: string }) => a.address);
      const private_ = nodes.filter(n => externalIps(n).length === 0);
      if (private_.length > 0) {
        ctx.logger.warn(
          `Node(s) ${private_
            .map(n => n.metadata!.name)
            .join(
              ', ',
            )} have no public IP (no ExternalIP address): the gateway on them is reachable from the VPC only; bind an EIP to each node, or choose nodes that have one`,
        );
      }
      ctx.output('publicIps', nodes.flatMap(externalIps));
      return {
        objects: [desired!],
        // A node selector key of the old placement (e.g. kubernetes.io/hostname) would stay
        // next to the new ones under server-side apply and match no dedicated node.
        removeKeys: [
          {
            object: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              namespace,
              name: gateway,
            },
            path: ['spec', 'template', 'spec', 'nodeSelector'],
            keys: Object.keys(
              deployment!.spec?.template?.spec?.nodeSelector ?? {},
            ).filter(key => !(key in nodeSelector)),
          },
        ],
        key: ['gateway.host-network', cluster.name, namespace, gateway],
        inPlace: `${target} already runs on the host network`,
      };
    },
  });
}
