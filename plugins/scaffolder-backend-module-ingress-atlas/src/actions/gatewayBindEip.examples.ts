import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Move the Istio ingress gateway of a TKE cluster from its CLB to pod EIPs, listening on the Service's ports (80, 443) as the CLB's clients expect",
    example: yaml.stringify({
      steps: [
        {
          id: 'bind-eip',
          action: 'ingress-atlas:gateway:bind-eip',
          name: 'Give the gateway pods their own EIPs',
          input: {
            cluster: 'tke-blog',
            namespace: 'istio-system',
            gateway: 'istio-ingressgateway',
            listenOnServicePorts: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Keep the old Deployment at zero replicas and cap the EIP bandwidth',
    example: yaml.stringify({
      steps: [
        {
          id: 'bind-eip',
          action: 'ingress-atlas:gateway:bind-eip',
          name: 'Give the gateway pods their own EIPs',
          input: {
            cluster: 'tke-blog',
            namespace: 'istio-system',
            gateway: 'istio-ingressgateway',
            bandwidthMbps: 20,
            internetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
            retire: 'scale-to-zero',
            timeoutSeconds: 600,
          },
        },
      ],
    }),
  },
];
