import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check that the gateway answers on its pod EIPs on ports 80 and 443',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          action: 'ingress-atlas:gateway:verify-eip',
          name: 'Verify the EIPs',
          input: {
            cluster: 'tke-blog',
            namespace: 'istio-system',
            gateway: 'istio-ingressgateway',
          },
        },
      ],
    }),
  },
  {
    description:
      'Only confirm the binding, where the backend cannot reach public addresses',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          action: 'ingress-atlas:gateway:verify-eip',
          name: 'Verify the EIPs',
          input: { cluster: 'tke-blog', checkReachability: false },
        },
      ],
    }),
  },
];
