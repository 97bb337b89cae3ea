/*
 * What `istioctl install` installs for an IstioOperator that does not say, as Istio's own files
 * define it. Sources (Apache-2.0), read at istio/istio@86c9f01fd735fb01d8192f5bcaf0d424afb7f14c
 * (1.31 development) and the release tags named below:
 *  - profiles: manifests/profiles/{default,demo,minimal,remote,empty,ambient}.yaml
 *  - gateway Services: manifests/charts/gateways/istio-{ingress,egress}/values.yaml
 *    (manifests/gateways/istio-ingress/values.yaml at 1.5.0)
 *  - component defaults: operator/pkg/component/component.go (`enabled` defaults to true for a
 *    listed gateway; its namespace defaults to the IstioOperator's, then istio-system)
 */

export interface IstioProfile {
  pilot: boolean;
  ingressGateway: boolean;
  egressGateway: boolean;
}

/** Components each profile enables; `default` is what every other profile is laid over. */
export const ISTIO_PROFILES: Record<string, IstioProfile> = {
  default: { pilot: true, ingressGateway: true, egressGateway: false },
  demo: { pilot: true, ingressGateway: true, egressGateway: true },
  minimal: { pilot: true, ingressGateway: false, egressGateway: false },
  // The remote profile installs istiod's remote configuration, no gateway.
  remote: { pilot: true, ingressGateway: false, egressGateway: false },
  empty: { pilot: false, ingressGateway: false, egressGateway: false },
  ambient: { pilot: true, ingressGateway: false, egressGateway: false },
};

export const DEFAULT_INGRESS_GATEWAY = 'istio-ingressgateway';
export const DEFAULT_EGRESS_GATEWAY = 'istio-egressgateway';

export interface GatewayChartDefaults {
  labels: Record<string, string>;
  type: string;
  ports: number[];
}

/**
 * The ingress gateway chart's Service ports changed over releases: the add-on ports
 * 15029–15032 went in 1.6, 15443 and 15012 in 1.10.
 */
const INGRESS_PORTS: Array<{ from: [number, number]; ports: number[] }> = [
  { from: [1, 10], ports: [15021, 80, 443] },
  // 1.8.0 (3bf36b59) and 1.9.0 (212bc159).
  { from: [1, 8], ports: [15021, 80, 443, 15443, 15012] },
  // 1.6.0 (32eafc7f) and 1.7.0 (66161c2d).
  { from: [1, 6], ports: [15021, 80, 443, 15443, 15012, 853] },
  // 1.5.0 (0aa646d7).
  {
    from: [1, 0],
    ports: [15020, 80, 443, 15029, 15030, 15031, 15032, 31400, 15443, 15011],
  },
];

function atLeast(version: [number, number], from: [number, number]) {
  return (
    version[0] > from[0] || (version[0] === from[0] && version[1] >= from[1])
  );
}

/** The Service an ingress or egress gateway gets from its chart, for an Istio version (latest when unknown). */
export function gatewayChartDefaults(
  which: 'ingress' | 'egress',
  version: string | undefined,
): GatewayChartDefaults {
  if (which === 'egress') {
    return {
      labels: { app: DEFAULT_EGRESS_GATEWAY, istio: 'egressgateway' },
      type: 'ClusterIP',
      ports: [80, 443],
    };
  }
  const parsed = version?.match(/^(\d+)\.(\d+)/);
  const v: [number, number] = parsed
    ? [Number(parsed[1]), Number(parsed[2])]
    : [Number.MAX_SAFE_INTEGER, 0];
  const { ports } =
    INGRESS_PORTS.find(r => atLeast(v, r.from)) ?? INGRESS_PORTS[0];
  return {
    labels: { app: DEFAULT_INGRESS_GATEWAY, istio: 'ingressgateway' },
    type: 'LoadBalancer',
    ports,
  };
}
