import {
  ExposurePath,
  Gateway,
  PLAINTEXT_TLS_MODE,
  Route,
  hostMatches,
  installerOf,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';
import { Analyzer, finding, TEMPLATES } from './types';

/**
 * What to change depends on what configures the gateway: the HTTPS template edits Istio
 * Gateway servers only, so it is offered for Istio gateways alone, and only when it can run:
 * a TLS Secret for the host is in the namespace of the gateway workload (credentialName is
 * read there), and on ASM the ASM instance that keeps the Gateway is configured.
 */
function advice(
  gateway: Gateway,
  path: ExposurePath,
  route: Route | undefined,
  cluster: ClusterObjects | undefined,
) {
  if (gateway.kind === 'ingress-controller') {
    const ingress = route
      ? `Ingress ${route.namespace}/${route.name}`
      : 'its Ingress';
    return {
      fix: `Add a spec.tls entry for ${
        path.host
      } to ${ingress}, with a TLS Secret in ${
        route?.namespace ?? "the Ingress's namespace"
      } (for example from cert-manager); the controller then serves HTTPS and, as ingress-nginx does by default, redirects HTTP to it.`,
      objects: route
        ? [
            {
              kind: 'Ingress',
              name: route.name,
              namespace: route.namespace,
              cluster: route.cluster,
              id: route.id,
            },
          ]
        : [],
    };
  }
  if (gateway.kind === 'gateway-api') {
    return {
      fix: `Add an HTTPS listener for ${path.host} to Gateway ${gateway.namespace}/${gateway.name} with certificateRefs to a TLS Secret in ${gateway.namespace} (or one a ReferenceGrant allows), and an HTTPRoute that redirects HTTP to HTTPS.`,
      objects: [],
    };
  }
  const { istioConfigCluster } = cluster?.inventory.cluster ?? {};
  // ASM keeps the mesh's Gateways on the ASM instance: the template writes them there.
  const where =
    istioConfigCluster !== undefined
      ? ` (the Gateway lives on ${istioConfigCluster}, which the template changes)`
      : '';
  if (
    installerOf({ labels: gateway.workload?.labels }) === 'asm' &&
    istioConfigCluster === undefined
  ) {
    return {
      fix: `Add an HTTPS server for ${path.host} with a certificate (credentialName: a TLS Secret in ${gateway.namespace} of ${gateway.cluster}) to the Gateway on the ASM instance, and redirect HTTP to it. Alibaba Cloud Service Mesh keeps Gateways and VirtualServices on the ASM instance's API server, not in ${gateway.cluster}: configure that API server as a cluster and name it in istioConfigCluster of ${gateway.cluster} for the template to change it.`,
      objects: [],
    };
  }
  // The Secret must be in the namespace of the gateway workload, in the cluster it runs in.
  const secret = cluster?.inventory.certificates.find(
    c =>
      c.secret.startsWith(`${gateway.namespace}/`) &&
      !c.error &&
      (c.dnsNames ?? []).some(name => hostMatches(name, path.host)),
  );
  if (!secret) {
    return {
      fix: `Put a TLS Secret (kubernetes.io/tls) with a certificate for ${path.host} in namespace ${gateway.namespace} of ${gateway.cluster}, where the gateway workload reads credentialName from, then add an HTTPS server for ${path.host} with that credentialName${where} and redirect HTTP to it (template "Enable HTTPS on a gateway host").`,
      objects: [],
    };
  }
  const credentialName = secret.secret.slice(gateway.namespace.length + 1);
  return {
    fix: `Add an HTTPS server for ${path.host} with credentialName ${credentialName} (its certificate, in ${gateway.namespace}, covers the host)${where} and redirect HTTP to it.`,
    objects: [],
    templateRef: TEMPLATES.enableGatewayHttps,
    parameters: {
      cluster: gateway.cluster,
      namespace: gateway.namespace,
      gateway: gateway.name,
      host: path.host,
      credentialName,
    },
  };
}

/** A public host a gateway serves over plain HTTP only. */
export const gatewayPlaintext: Analyzer = {
  codes: ['GATEWAY_PLAINTEXT_PUBLIC'],
  analyze: ({ model, clusters }) => {
    const seen = new Set<string>();
    const findings = [];
    // Paths name their gateway and route by id, when they have one.
    const gateways = new Map<string | undefined, Gateway>(
      model.gateways.map(g => [g.id, g]),
    );
    const routes = new Map<string | undefined, Route>(
      model.routes.map(r => [r.id, r]),
    );
    for (const path of model.paths) {
      const gateway = gateways.get(path.gateway);
      if (
        path.network !== 'public' ||
        !gateway ||
        gateway.kind === 'front-proxy' ||
        path.apiServer
      )
        continue;
      if (path.tls.mode !== PLAINTEXT_TLS_MODE || path.host === '*') continue;
      const key = `${gateway.id}|${path.host}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fix = advice(
        gateway,
        path,
        routes.get(path.route),
        clusters.find(c => c.name === gateway.cluster),
      );
      findings.push(
        finding({
          code: 'GATEWAY_PLAINTEXT_PUBLIC',
          severity: 'warning',
          message: `${path.host} is served over plain HTTP only by ${gateway.namespace}/${gateway.name} in ${gateway.cluster}, from the internet`,
          objects: [
            {
              kind: 'Gateway',
              name: gateway.name,
              namespace: gateway.namespace,
              cluster: gateway.cluster,
              id: gateway.id,
            },
            ...fix.objects,
          ],
          fix: fix.fix,
          ...(fix.templateRef && {
            templateRef: fix.templateRef,
            parameters: fix.parameters,
          }),
        }),
      );
    }
    return findings;
  },
};
