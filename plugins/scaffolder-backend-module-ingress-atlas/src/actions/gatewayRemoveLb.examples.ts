import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Turn the gateway's CLB Service into ClusterIP once its pods answer on their EIPs, so TKE releases the CLB",
    example: yaml.stringify({
      steps: [
        {
          id: 'remove-lb',
          action: 'ingress-atlas:gateway:remove-lb',
          name: 'Remove the load balancer',
          input: {
            cluster: 'tke-blog',
            namespace: 'istio-system',
            service: 'istio-ingressgateway',
          },
        },
      ],
    }),
  },
  {
    description:
      'Delete the Service outright, skipping the TCP check where the backend has no route to the public addresses',
    example: yaml.stringify({
      steps: [
        {
          id: 'remove-lb',
          action: 'ingress-atlas:gateway:remove-lb',
          name: 'Remove the load balancer',
          input: {
            cluster: 'tke-blog',
            namespace: 'istio-system',
            service: 'istio-ingressgateway',
            gateway: 'istio-ingressgateway',
            checkReachability: false,
            deleteService: true,
          },
        },
      ],
    }),
  },
];
