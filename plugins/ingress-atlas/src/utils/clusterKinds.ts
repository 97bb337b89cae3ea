import {
  AtlasCluster,
  CloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * Kinds only one cloud's clusters serve: their CRD missing elsewhere is expected, not a
 * problem (an Aliyun cluster has no TKE EIPClaims to read).
 */
const PROVIDER_KINDS: Record<string, CloudProvider> = {
  albConfigs: 'aliyun',
  asmIstioGateways: 'aliyun',
  eipClaims: 'tencent',
};

/** How a person calls the kinds the collector may find missing. */
const KIND_NAMES: Record<string, string> = {
  albConfigs: 'AlbConfig',
  asmIstioGateways: 'IstioGateway (ASM)',
  eipClaims: 'EIPClaim',
  grpcRoutes: 'GRPCRoute',
  tlsRoutes: 'TLSRoute',
  tcpRoutes: 'TCPRoute',
  httpRoutes: 'HTTPRoute',
  k8sGateways: 'Gateway (Gateway API)',
  referenceGrants: 'ReferenceGrant',
  istioGateways: 'Gateway (Istio)',
  virtualServices: 'VirtualService',
  destinationRules: 'DestinationRule',
  istioOperators: 'IstioOperator',
  ingressClasses: 'IngressClass',
};

export const kindName = (kind: string) => KIND_NAMES[kind] ?? kind;

// A kind the API server does not serve at all (discovery lacks it, or its list path is a 404)
// is an add-on that is not installed: there is nothing of that kind to miss.
const NOT_INSTALLED =
  /is not served by this cluster|^not found: the server could not find the requested resource/;

/**
 * A cluster's unreadable kinds, split into those that hide something (forbidden, failed) and
 * optional add-ons that are not installed; kinds of another cloud are left out.
 */
export function unavailableKinds(cluster: AtlasCluster) {
  const relevant = cluster.unavailableKinds.filter(({ kind }) => {
    const provider = PROVIDER_KINDS[kind];
    return !provider || provider === cluster.provider;
  });
  return {
    unreadable: relevant.filter(k => !NOT_INSTALLED.test(k.reason)),
    notInstalled: relevant.filter(k => NOT_INSTALLED.test(k.reason)),
  };
}
