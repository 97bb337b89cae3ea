import {
  installerOf,
  matchesSelector,
  serverHostMatches,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ConnectedCluster } from '../clusters';
import { KubeObject, listObjects, readObject } from '../kube';
import { ISTIO_NETWORKING } from '../istio';
import {
  ActionOptions,
  changeOutputs,
  clusterInput,
  gatewayInput,
  namespaceInput,
  Preflight,
} from './common';
import { createAtlasAction } from './runner';
import { checkedString, flagInput } from './inputs';
import { examples } from './gatewayEnableTls.examples';

interface Server {
  port: { number: number; name: string; protocol: string };
  hosts: string[];
  tls?: Record<string, unknown>;
}

/** The gateway workload (Deployment, StatefulSet or DaemonSet) and its pod labels. */
export async function gatewayWorkload(
  cluster: ConnectedCluster,
  namespace: string,
  name: string,
): Promise<KubeObject | undefined> {
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    const workload = await readObject(cluster, {
      apiVersion: 'apps/v1',
      kind,
      namespace,
      name,
    });
    if (workload) {
      return workload;
    }
  }
  return undefined;
}

/**
 * Checks that the gateway's certificate is a kubernetes.io/tls Secret with tls.crt and tls.key
 * in the namespace of the gateway workload (only its key names are read into messages).
 */
export async function checkTlsSecret(
  cluster: ConnectedCluster,
  namespace: string,
  name: string,
  preflight: Preflight,
): Promise<void> {
  const secret = await readObject(cluster, {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace,
    name,
  });
  const keys = Object.keys(secret?.data ?? {});
  preflight.check(
    secret?.type === 'kubernetes.io/tls' &&
      keys.includes('tls.crt') &&
      keys.includes('tls.key'),
    `Secret ${namespace}/${name} is a TLS Secret`,
    secret
      ? `Secret ${namespace}/${name} is of type ${secret.type} with keys ${
          keys.join(', ') || '(none)'
        }; a kubernetes.io/tls Secret with tls.crt and tls.key is needed`
      : `there is no Secret ${namespace}/${name}: the certificate must live in the namespace of the gateway workload`,
  );
}

function serverName(host: string): string {
  return `https-${host
    .replace(/^\*\./, 'wildcard-')
    .replace(/[^a-z0-9-]/gi, '-')}`.slice(0, 63);
}

/** ASM's declaration of the gateways it runs in its data-plane clusters. */
const ASM_ISTIO_GATEWAY = {
  apiVersion: 'istio.alibabacloud.com/v1beta1',
  kind: 'IstioGateway',
};

/**
 * Adds an HTTPS server for a host to the Istio Gateway that serves it, with a certificate from
 * a TLS Secret next to the gateway workload, and redirects HTTP to it. The Gateway is read
 * from and written to where the mesh keeps it: the cluster's `istioConfigCluster` when it has
 * one (on ASM, the ASM instance), the cluster itself otherwise; the workload and the Secret
 * are always the cluster's own.
 *
 * @public
 */
export function createGatewayEnableTlsAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:enable-tls',
    description:
      'Adds an HTTPS server (TLS SIMPLE with credentialName) for a host to the Istio Gateway that serves it over HTTP, and redirects HTTP to HTTPS.',
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        gateway: gatewayInput('The gateway workload'),
        host: z =>
          checkedString(
            z,
            'host',
            'The host to serve over HTTPS, e.g. blog.example.com',
          ),
        credentialName: z =>
          checkedString(
            z,
            'dnsSubdomain',
            'A Secret of type kubernetes.io/tls in the namespace of the gateway workload (not of the Gateway object)',
          ),
        httpsRedirect: flagInput(
          'Redirect HTTP to HTTPS for the host. Default: true',
          true,
        ),
      },
      output: {
        gatewayConfig: z =>
          z.string({
            description:
              'The Istio Gateway changed, as namespace/name (and "on <cluster>" when it lives on the istioConfigCluster)',
          }),
        ...changeOutputs,
      },
    },
    intent: input =>
      `enable HTTPS for ${input.host} on gateway ${input.namespace}/${input.gateway} of cluster ${input.cluster}`,
    async plan(ctx, { cluster, preflight }) {
      const { namespace, gateway, host, credentialName, httpsRedirect } =
        ctx.input;

      const workload = await gatewayWorkload(cluster, namespace, gateway);
      const podLabels = workload?.spec?.template?.metadata?.labels;
      const asm = installerOf(workload?.metadata ?? {}) === 'asm';
      const configCluster = cluster.istioConfigCluster
        ? await options.clusters.connect(cluster.istioConfigCluster, {
            fieldManager: cluster.fieldManager,
          })
        : cluster;
      let config: KubeObject | undefined;
      if (
        preflight.check(
          Boolean(workload),
          `gateway workload ${workload?.kind} ${namespace}/${gateway} found`,
          `there is no gateway workload ${namespace}/${gateway} on cluster ${cluster.name}`,
        ) &&
        preflight.check(
          !asm || configCluster !== cluster,
          `the Istio Gateways of ${cluster.name} are on ${configCluster.name}`,
          `Alibaba Cloud Service Mesh runs ${namespace}/${gateway} and keeps the mesh's Gateways and VirtualServices on the ASM instance's API server, not in ${cluster.name}: add the ASM instance to ingressAtlas.clusters (with its kubeconfig) and name it in istioConfigCluster of ${cluster.name}`,
        )
      ) {
        const configs = (
          await listObjects(configCluster, {
            apiVersion: ISTIO_NETWORKING,
            kind: 'Gateway',
          })
        ).filter(
          g =>
            matchesSelector(g.spec?.selector, podLabels) &&
            (g.spec?.servers ?? []).some((s: Server) =>
              s.hosts?.some(h => serverHostMatches(h, host)),
            ),
        );
        const names = configs.map(
          c => `${c.metadata!.namespace}/${c.metadata!.name}`,
        );
        if (
          preflight.check(
            configs.length === 1,
            `Istio Gateway ${names[0]} serves ${host}`,
            configs.length === 0
              ? `no Istio Gateway selecting ${namespace}/${gateway} serves ${host}${
                  configCluster === cluster ? '' : ` on ${configCluster.name}`
                }`
              : `${
                  configs.length
                } Istio Gateways serve ${host} on ${namespace}/${gateway} (${names.join(
                  ', ',
                )}); change them by hand`,
          )
        ) {
          config = configs[0];
        }
      }
      await checkTlsSecret(cluster, namespace, credentialName, preflight);
      preflight.done();

      const servers: Server[] = structuredClone(config!.spec.servers);
      const hostEntry =
        servers
          .flatMap(s => s.hosts)
          .find(
            h =>
              serverHostMatches(h, host) &&
              !h.endsWith('/*') &&
              !h.endsWith('*'),
          ) ?? host;
      const https = servers.find(
        s =>
          ['HTTPS', 'TLS'].includes(s.port.protocol.toUpperCase()) &&
          s.hosts.some(h => serverHostMatches(h, host)),
      );
      if (https) {
        ctx.logger.info(
          `The Gateway already has an HTTPS server for ${host} (${https.port.name})`,
        );
      } else {
        servers.push({
          port: { number: 443, name: serverName(host), protocol: 'HTTPS' },
          hosts: [hostEntry],
          tls: { mode: 'SIMPLE', credentialName },
        });
      }
      if (httpsRedirect) {
        for (const server of servers.filter(
          s =>
            s.port.protocol.toUpperCase() === 'HTTP' &&
            s.hosts.some(h => serverHostMatches(h, host)),
        )) {
          if (server.hosts.every(h => serverHostMatches(h, host))) {
            server.tls = { ...server.tls, httpsRedirect: true };
          } else {
            ctx.logger.warn(
              `HTTP server ${server.port.name} also serves ${server.hosts.join(
                ', ',
              )}: not redirecting it, as that would redirect those hosts too`,
            );
          }
        }
      }
      const { name, namespace: configNamespace } = config!.metadata!;
      // Only the servers: applied as ingress-atlas, the rest of the Gateway stays its owners'.
      const desired: KubeObject = {
        apiVersion: ISTIO_NETWORKING,
        kind: 'Gateway',
        metadata: { name, namespace: configNamespace },
        spec: { servers },
      };
      const service = (
        await listObjects(cluster, {
          apiVersion: 'v1',
          kind: 'Service',
          namespace,
        })
      ).find(s => matchesSelector(s.spec?.selector, podLabels));
      if (
        service &&
        !(service.spec?.ports ?? []).some(
          (p: { port: number }) => p.port === 443,
        )
      ) {
        // ASM puts the Service back as its IstioGateway declares: the port goes there.
        const declaredBy = asm
          ? (
              await listObjects(configCluster, ASM_ISTIO_GATEWAY).catch(
                () => [],
              )
            ).find(g =>
              (g.spec?.clusterIds ?? []).includes(cluster.cloudClusterId),
            )
          : undefined;
        ctx.logger.warn(
          `Service ${namespace}/${
            service.metadata!.name
          } of the gateway has no port 443: add it${
            declaredBy
              ? ` to the ports of IstioGateway ${
                  declaredBy.metadata!.namespace
                }/${declaredBy.metadata!.name} on ${
                  configCluster.name
                }, which ASM creates the Service from`
              : ''
          }, or the HTTPS server is unreachable`,
        );
      }

      ctx.output(
        'gatewayConfig',
        `${config!.metadata!.namespace}/${config!.metadata!.name}${
          configCluster === cluster ? '' : ` on ${configCluster.name}`
        }`,
      );
      return {
        objects: [desired],
        ...(configCluster === cluster ? {} : { cluster: configCluster }),
        key: ['gateway.enable-tls', cluster.name, namespace, gateway, host],
        inPlace: `${host} is already served over HTTPS`,
      };
    },
  });
}
