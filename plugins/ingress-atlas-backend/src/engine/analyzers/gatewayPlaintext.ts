import { PLAINTEXT_TLS_MODE } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding, TEMPLATES } from './types';

/** A public host a gateway serves over plain HTTP only. */
export const gatewayPlaintext: Analyzer = {
  codes: ['GATEWAY_PLAINTEXT_PUBLIC'],
  analyze: ({ model }) => {
    const seen = new Set<string>();
    const findings = [];
    for (const path of model.paths) {
      const gateway = model.gateways.find(g => g.id === path.gateway);
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
          ],
          fix: `Add an HTTPS server for ${path.host} with a certificate (credentialName in ${gateway.namespace}) and redirect HTTP to it.`,
          templateRef: TEMPLATES.enableGatewayHttps,
          parameters: {
            cluster: gateway.cluster,
            namespace: gateway.namespace,
            gateway: gateway.name,
            host: path.host,
          },
        }),
      );
    }
    return findings;
  },
};
