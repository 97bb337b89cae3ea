import { serverHostMatches } from '@ingress-atlas/plugin-ingress-atlas-common';
import { KubeObject, listObjects, readObject } from '../kube';
import { ISTIO_NETWORKING } from '../istio';
import {
  ActionOptions,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  changeOutputs,
  clusterInput,
  gatewayInput,
} from './common';
import { checkTlsSecret, gatewayWorkload } from './gatewayEnableTls';
import { createAtlasAction } from './runner';
import { checkedString, optionalInput, portNumber } from './inputs';
import { examples } from './gatewayExposeService.examples';

/** The Istio Gateway and VirtualService that publish a Service under a host through an ingress gateway. */
export function exposureObjects(options: {
  namespace: string;
  service: string;
  port: number;
  host: string;
  selector: Record<string, string>;
  credentialName?: string;
}): KubeObject[] {
  const { namespace, service, port, host, selector, credentialName } = options;
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
  // Named after the host: one pair per published host, never clashing with a team's own objects.
  const name = host
    .replace(/^\*\./, 'wildcard.')
    .replace(/\./g, '-')
    .toLowerCase()
    .slice(0, 55);
  const gatewayName = `${name}-gateway`;
  return [
    {
      apiVersion: ISTIO_NETWORKING,
      kind: 'Gateway',
      metadata: { name: gatewayName, namespace, labels },
      spec: {
        selector,
        servers: [
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: [host],
            ...(credentialName && { tls: { httpsRedirect: true } }),
          },
          ...(credentialName
            ? [
                {
                  port: { number: 443, name: 'https', protocol: 'HTTPS' },
                  hosts: [host],
                  tls: { mode: 'SIMPLE', credentialName },
                },
              ]
            : []),
        ],
      },
    },
    {
      apiVersion: ISTIO_NETWORKING,
      kind: 'VirtualService',
      metadata: { name, namespace, labels },
      spec: {
        hosts: [host],
        gateways: [gatewayName],
        http: [
          {
            route: [
              {
                destination: {
                  host: `${service}.${namespace}.svc.cluster.local`,
                  port: { number: port },
                },
              },
            ],
          },
        ],
      },
    },
  ];
}

/**
 * Publishes a Service under a host through the mesh's ingress gateway.
 *
 * @public
 */
export function createGatewayExposeServiceAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:expose-service',
    description:
      'Publishes a Service under a host through an Istio ingress gateway: an Istio Gateway (HTTP, and HTTPS when a certificate is given) and a VirtualService routing to the Service.',
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: z =>
          checkedString(z, 'dnsLabel', 'Namespace of the Service'),
        service: z => checkedString(z, 'dnsLabel', 'The Service to publish'),
        port: z =>
          portNumber(
            z,
            "The Service port to route to. Default: the Service's first port",
          ).optional(),
        host: z =>
          checkedString(z, 'host', 'The public host, e.g. app.example.com'),
        gateway: gatewayInput('The ingress gateway workload'),
        gatewayNamespace: z =>
          checkedString(
            z,
            'dnsLabel',
            'Namespace of the gateway workload. Default: istio-system',
          ).default('istio-system'),
        credentialName: optionalInput(
          'dnsSubdomain',
          'TLS Secret in the gateway namespace: serve HTTPS and redirect HTTP. Default: HTTP only',
        ),
      },
      output: {
        url: z =>
          z.string({
            description:
              'Where the Service answers once DNS points at the gateway',
          }),
        ...changeOutputs,
      },
    },
    intent: input =>
      `expose ${input.namespace}/${input.service} as ${input.host} on cluster ${input.cluster}`,
    async plan(ctx, { cluster, preflight }) {
      const {
        namespace,
        service: serviceName,
        host,
        gateway,
        gatewayNamespace,
        credentialName,
      } = ctx.input;
      const service = await readObject(cluster, {
        apiVersion: 'v1',
        kind: 'Service',
        namespace,
        name: serviceName,
      });
      const ports: number[] = (service?.spec?.ports ?? []).map(
        (p: { port: number }) => p.port,
      );
      const port = ctx.input.port ?? ports[0];
      if (
        preflight.check(
          Boolean(service),
          `Service ${namespace}/${serviceName} found`,
          `there is no Service ${namespace}/${serviceName} on cluster ${cluster.name}`,
        )
      ) {
        preflight.check(
          ports.includes(port),
          `Service port ${port}`,
          `Service ${namespace}/${serviceName} has no port ${port} (ports: ${
            ports.join(', ') || 'none'
          })`,
        );
      }
      const workload = await gatewayWorkload(
        cluster,
        gatewayNamespace,
        gateway,
      );
      const selector = workload?.spec?.template?.metadata?.labels?.istio
        ? { istio: workload.spec.template.metadata.labels.istio }
        : workload?.spec?.selector?.matchLabels;
      preflight.check(
        Boolean(workload && selector),
        `ingress gateway ${gatewayNamespace}/${gateway} found`,
        `there is no ingress gateway workload ${gatewayNamespace}/${gateway} on cluster ${cluster.name}`,
      );
      if (credentialName) {
        await checkTlsSecret(
          cluster,
          gatewayNamespace,
          credentialName,
          preflight,
        );
      }
      const objects = exposureObjects({
        namespace,
        service: serviceName,
        port,
        host,
        selector: selector ?? {},
        credentialName,
      });
      const virtualServices = await listObjects(cluster, {
        apiVersion: ISTIO_NETWORKING,
        kind: 'VirtualService',
      });
      const others = virtualServices.filter(
        vs =>
          vs.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY &&
          (vs.spec?.hosts ?? []).some(
            (h: string) => serverHostMatches(h, host) && h !== '*',
          ) &&
          (vs.spec?.gateways ?? []).length > 0,
      );
      preflight.check(
        others.length === 0,
        `no other VirtualService routes ${host} from a gateway`,
        `${host} is already routed by ${others
          .map(
            vs =>
              `VirtualService ${vs.metadata!.namespace}/${vs.metadata!.name}`,
          )
          .join(', ')}`,
      );
      ctx.output('url', `${credentialName ? 'https' : 'http'}://${host}/`);
      return {
        objects,
        onlyOurs: true,
        key: ['gateway.expose-service', cluster.name, namespace, serviceName],
        inPlace: `${host} already routes to ${namespace}/${serviceName}`,
      };
    },
  });
}
