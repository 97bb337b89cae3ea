import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding, gatewayRef, TEMPLATES } from './types';

/**
 * A TLS listener whose Secret is not where the proxy reads it. Istio reads `credentialName`
 * from the namespace of the gateway workload, not of the Gateway object; a Secret next to the
 * Gateway object is the classic mistake.
 */
export const credentialSecret: Analyzer = {
  codes: ['CREDENTIAL_SECRET_MISSING', 'CREDENTIAL_SECRET_WRONG_NAMESPACE'],
  analyze: ({ clusters, model }) => {
    const findings = new Map<string, Finding>();
    for (const gateway of model.gateways) {
      const objects = clusters.find(c => c.name === gateway.cluster);
      if (!objects || objects.inventory.unavailable.secrets) continue;
      for (const listener of gateway.listeners) {
        const secretRef = listener.tls?.secretRef;
        if (listener.tls?.certificateSource !== 'secret' || !secretRef)
          continue;
        const [namespace, name] = secretRef.split('/');
        if (objects.get('secrets', namespace, name)) continue;
        const elsewhere = objects
          .list('secrets')
          .filter(s => s.metadata.name === name)
          .map(s => s.metadata.namespace!);
        const key = `${gateway.id}|${secretRef}`;
        if (findings.has(key)) continue;
        const hosts = listener.hosts.join(', ');
        const objectsRefs = [
          { kind: 'Secret', namespace, name, cluster: gateway.cluster },
          listener.source,
          gatewayRef(gateway),
        ];
        findings.set(
          key,
          elsewhere.length > 0
            ? finding({
                code: 'CREDENTIAL_SECRET_WRONG_NAMESPACE',
                severity: 'error',
                message: `${gateway.namespace}/${gateway.name} in ${
                  gateway.cluster
                } reads TLS secret ${name} for ${hosts} from namespace ${namespace}, but it is in ${elsewhere.join(
                  ', ',
                )}`,
                objects: objectsRefs,
                fix:
                  gateway.kind === 'ingress-controller'
                    ? `Create secret ${name} in namespace ${namespace}, the Ingress's own namespace.`
                    : `Create secret ${name} in namespace ${namespace} (the gateway workload's namespace), e.g. by issuing the certificate there; Istio does not read it from ${elsewhere.join(
                        ', ',
                      )}.`,
              })
            : finding({
                code: 'CREDENTIAL_SECRET_MISSING',
                severity: 'error',
                message: `${gateway.namespace}/${gateway.name} in ${gateway.cluster} serves ${hosts} with TLS secret ${secretRef}, which does not exist`,
                objects: objectsRefs,
                fix: `Create a kubernetes.io/tls secret ${name} in namespace ${namespace}, or fix credentialName.`,
                templateRef: TEMPLATES.enableGatewayHttps,
                parameters: {
                  cluster: gateway.cluster,
                  namespace: gateway.namespace,
                  gateway: gateway.name,
                  host: listener.hosts[0] ?? '',
                  credentialName: name,
                },
              }),
        );
      }
    }
    return [...findings.values()];
  },
};
