import {
  CloudProvider,
  Entry,
  EntryType,
  Gateway,
  TlsInfo,
} from '@ingress-atlas/plugin-ingress-atlas-common';

export const ENTRY_TYPE_LABELS: Record<EntryType, string> = {
  'load-balancer': 'Load balancer',
  'pod-eip': 'Pod EIP',
  'host-network': 'Host network',
  'node-port': 'NodePort',
  'front-proxy': 'Front proxy',
  'external-ip': 'External IP',
  'cluster-ip': 'Cluster IP',
};

const LOAD_BALANCER_NAMES: Record<CloudProvider, string> = {
  tencent: 'CLB',
  aliyun: 'SLB',
  huawei: 'ELB',
  generic: 'Load balancer',
};

/** `CLB lb-blog0001 · 198.51.100.11`, `Node IPs 10.0.0.4, 10.0.0.5`, `EIP eip-1 · 192.0.2.4`. */
export function describeEntry(entry: Entry): string {
  const addresses = entry.addresses.join(', ');
  const eips = entry.resources.filter(r => r.kind === 'eip').map(r => r.id);
  const parts: string[] = [];
  switch (entry.type) {
    case 'load-balancer': {
      const lb = entry.resources.find(r => r.kind === 'load-balancer');
      const name =
        lb?.loadBalancerKind?.toUpperCase() ??
        LOAD_BALANCER_NAMES[entry.provider];
      parts.push(
        [name, entry.cloudResourceId].filter(Boolean).join(' '),
        addresses,
      );
      break;
    }
    case 'pod-eip':
      parts.push(
        `EIP ${entry.cloudResourceId ?? eips[0] ?? ''}`.trim(),
        addresses,
      );
      break;
    case 'host-network':
      parts.push(`Node IPs ${addresses}`);
      break;
    case 'node-port': {
      const ports = entry.ports
        .map(p => p.nodePort)
        .filter(Boolean)
        .join(', ');
      parts.push(`NodePort ${ports} on ${addresses}`);
      break;
    }
    default:
      parts.push(`${ENTRY_TYPE_LABELS[entry.type]} ${addresses}`);
  }
  if (entry.type !== 'pod-eip' && eips.length > 0) {
    parts.push(`EIP ${eips.join(', ')}`);
  }
  return parts.filter(Boolean).join(' · ');
}

export function describeGateway(gateway: Gateway): string {
  return `${gateway.namespace}/${gateway.name} (${gateway.kind}, ${gateway.cluster})`;
}

/** `SIMPLE, certificate from Secret istio-system/blog-cert, expires in 12 days`. */
export function describeTls(tls: TlsInfo): string {
  if (tls.certificateSource === 'none' && /^(none|plain|)$/i.test(tls.mode)) {
    return 'No TLS';
  }
  const parts = [tls.mode];
  if (tls.certificateSource === 'secret') {
    parts.push(
      `certificate from Secret ${
        tls.secretRef ?? tls.credentialName ?? ''
      }`.trim(),
    );
  } else if (tls.certificateSource === 'file') {
    parts.push('certificate from files in the proxy');
  } else {
    parts.push('no certificate');
  }
  if (tls.daysToExpiry !== undefined) {
    parts.push(
      tls.daysToExpiry < 0
        ? `expired ${-tls.daysToExpiry} days ago`
        : `expires in ${tls.daysToExpiry} days`,
    );
  }
  return parts.join(', ');
}

/** Certificates expiring within this many days are shown as a warning. */
export const EXPIRY_WARNING_DAYS = 21;
