import {
  HOURS_PER_MONTH,
  INTERNAL_LOAD_BALANCER_ANNOTATIONS,
  resourceMonthlyCost,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { KubeObject } from '../kube';
import {
  ActionOptions,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  changeOutputs,
  clusterInput,
  proxyInputs,
} from './common';
import { createAtlasAction } from './runner';
import { checkedString, flagInput } from './inputs';
import { examples } from './clusterApiProxy.examples';

const PROXY_PORT = 6443;

// proxy_timeout is how long a connection may stay idle; nginx's 10 minute default cuts
// kubectl's watches, logs -f and exec sessions, which stay quiet for long stretches.
const NGINX_CONF = `events {}
stream {
  server {
    listen ${PROXY_PORT};
    proxy_pass kubernetes.default.svc.cluster.local:443;
    proxy_connect_timeout 10s;
    proxy_timeout 24h;
  }
}
`;

export function apiProxyObjects(options: {
  namespace: string;
  name: string;
  image: string;
  serviceAnnotations: Record<string, string>;
  sourceRanges?: string[];
}): KubeObject[] {
  const { namespace, name, image, serviceAnnotations, sourceRanges } = options;
  const labels = { app: name, [MANAGED_BY_LABEL]: MANAGED_BY };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels },
      data: { 'nginx.conf': NGINX_CONF },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'nginx',
                image,
                ports: [{ containerPort: PROXY_PORT, protocol: 'TCP' }],
                volumeMounts: [
                  {
                    name: 'config',
                    mountPath: '/etc/nginx/nginx.conf',
                    subPath: 'nginx.conf',
                  },
                ],
              },
            ],
            volumes: [{ name: 'config', configMap: { name } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name,
        namespace,
        labels,
        ...(Object.keys(serviceAnnotations).length && {
          annotations: serviceAnnotations,
        }),
      },
      spec: {
        type: 'LoadBalancer',
        selector: { app: name },
        ports: [
          { name: 'https', port: 443, targetPort: PROXY_PORT, protocol: 'TCP' },
        ],
        ...(sourceRanges?.length && { loadBalancerSourceRanges: sourceRanges }),
      },
    },
  ];
}

const API_PROXY = { namespace: 'kube-api-proxy', name: 'kube-api-proxy' };

/**
 * An nginx stream proxy to the cluster's own API server behind a load balancer, for tools in
 * another VPC (reached through a VPC endpoint or peering). Internal unless asked otherwise.
 *
 * @public
 */
export function createClusterApiProxyAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:cluster:api-proxy',
    description:
      "Puts an nginx stream proxy to the cluster's API server behind an internal load balancer (for access from another VPC through an endpoint). Refuses a public load balancer unless allowPublic is true, and states what the load balancer costs.",
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        ...proxyInputs(API_PROXY),
        subnetId: z =>
          z
            .string({ description: 'On TKE: the subnet of the internal CLB' })
            .regex(/^subnet-[a-z0-9]{1,32}$/, {
              message: 'must be a subnet id such as subnet-abc123',
            })
            .optional(),
        public: flagInput(
          'A public load balancer: exposes the API server to the internet. Default: false',
          false,
        ),
        allowPublic: flagInput(
          'Required, as well as public, for a public load balancer',
          false,
        ),
        sourceRanges: z =>
          z
            .array(checkedString(z, 'cidr', 'A CIDR'), {
              description:
                'loadBalancerSourceRanges: the CIDRs allowed to connect',
            })
            .max(64)
            .optional(),
        image: z =>
          checkedString(
            z,
            'image',
            'nginx image. Default: nginx:1.25-alpine',
          ).default('nginx:1.25-alpine'),
      },
      output: {
        service: z =>
          z.string({
            description: 'The load balancer Service, as namespace/name',
          }),
        monthlyCostCny: z =>
          z
            .number({
              description:
                'What the load balancer costs per month at catalogue prices; absent when the catalogue has no price for it',
            })
            .optional(),
        ...changeOutputs,
      },
    },
    intent: input =>
      `put the API server of cluster ${input.cluster} behind ${
        input.public ? 'a public' : 'an internal'
      } load balancer`,
    async plan(ctx, { cluster, preflight }) {
      const {
        namespace,
        name,
        public: isPublic,
        allowPublic,
        image,
        subnetId,
        sourceRanges,
      } = ctx.input;
      if (isPublic) {
        preflight.check(
          allowPublic,
          'a public load balancer was explicitly allowed',
          `a public load balancer would expose the API server of ${cluster.name} to the internet; set allowPublic: true if that is intended, and restrict sourceRanges`,
        );
        if (!sourceRanges?.length) {
          preflight.warn(
            'No sourceRanges: any address on the internet can reach the API server',
          );
        }
      }
      const internal = isPublic
        ? {}
        : INTERNAL_LOAD_BALANCER_ANNOTATIONS[cluster.provider]?.({
            subnetId,
            name: `${cluster.name}-${name}`.slice(0, 64),
          });
      if (!isPublic && cluster.provider === 'tencent') {
        preflight.check(
          Boolean(subnetId),
          `internal CLB in ${subnetId}`,
          'on TKE an internal CLB needs subnetId; without it TKE creates a public one',
        );
      } else if (!isPublic) {
        preflight.check(
          Boolean(internal),
          `internal load balancer on ${cluster.provider}: ${Object.entries(
            internal ?? {},
          )
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`,
          `no internal load balancer annotation is known for provider ${cluster.provider}; its cloud controller would likely create an internet-facing load balancer, exposing the API server. Create the Service yourself, or set public and allowPublic if that is intended`,
        );
      }
      const serviceAnnotations: Record<string, string> = internal ?? {};
      const cost = resourceMonthlyCost(
        {
          provider: cluster.provider,
          kind: 'load-balancer',
          id: `${namespace}/${name}`,
          network: isPublic ? 'public' : 'internal',
        },
        options.clusters.prices,
      );
      const monthly = cost.parts.reduce((sum, part) => sum + part.amountCny, 0);
      const vpcEndpoint = options.clusters.prices.huawei?.vpcEndpoint;
      const endpointNote = vpcEndpoint
        ? `; each VPC endpoint reaching it adds about ${Math.round(
            vpcEndpoint.amount * HOURS_PER_MONTH,
          )} CNY/month (${vpcEndpoint.source})`
        : '';
      // An unpriced load balancer is not a free one: say so rather than "about 0 CNY/month".
      if (cost.unpriced.length) {
        ctx.logger.info(
          `The price catalogue has no figure for a ${cluster.provider} load balancer: what it costs is not known here${endpointNote}`,
        );
      } else {
        ctx.logger.info(
          `The load balancer costs about ${monthly} CNY/month (${cost.parts
            .map(
              p => `${p.item} ${p.unitPrice} ${p.unit}, ${p.source}, ${p.date}`,
            )
            .join('; ')})${endpointNote}`,
        );
        ctx.output('monthlyCostCny', monthly);
      }
      ctx.output('service', `${namespace}/${name}`);
      return {
        objects: apiProxyObjects({
          namespace,
          name,
          image,
          serviceAnnotations,
          sourceRanges,
        }),
        onlyOurs: true,
        key: ['cluster.api-proxy', cluster.name, namespace, name],
        inPlace: `${namespace}/${name} is in place`,
      };
    },
  });
}
