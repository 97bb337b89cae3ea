import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding, gatewayRef } from './types';

export const CERT_EXPIRY_WARNING_DAYS = 30;

/** Certificates served by a gateway that expire within 30 days (or have expired). */
export const certExpiring: Analyzer = {
  codes: ['CERT_EXPIRING'],
  analyze: ({ model }) => {
    const findings = new Map<string, Finding>();
    for (const gateway of model.gateways) {
      for (const listener of gateway.listeners) {
        const tls = listener.tls;
        if (
          tls?.daysToExpiry === undefined ||
          tls.daysToExpiry >= CERT_EXPIRY_WARNING_DAYS
        )
          continue;
        const key = `${gateway.cluster}|${tls.secretRef}`;
        if (findings.has(key)) continue;
        const [namespace, name] = (tls.secretRef ?? '').split('/');
        const expired = tls.daysToExpiry < 0;
        findings.set(
          key,
          finding({
            code: 'CERT_EXPIRING',
            severity: expired ? 'error' : 'warning',
            message: expired
              ? `The certificate in ${tls.secretRef} (${
                  gateway.cluster
                }) for ${listener.hosts.join(', ')} expired on ${tls.notAfter}`
              : `The certificate in ${tls.secretRef} (${
                  gateway.cluster
                }) for ${listener.hosts.join(', ')} expires in ${
                  tls.daysToExpiry
                } days (${tls.notAfter})`,
            objects: [
              { kind: 'Secret', namespace, name, cluster: gateway.cluster },
              gatewayRef(gateway),
            ],
            fix: `Renew the certificate in secret ${tls.secretRef}; if cert-manager issues it, check the Certificate's status and events for why renewal has not happened.`,
          }),
        );
      }
    }
    return [...findings.values()];
  },
};
