import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Run the legacy gateway on the dedicated (tainted) nodes, with the DNS policy and tolerations a host-network gateway needs',
    example: yaml.stringify({
      steps: [
        {
          id: 'host-network',
          action: 'ingress-atlas:gateway:host-network',
          name: 'Gateway on the host network',
          input: {
            cluster: 'edge',
            namespace: 'istio-system',
            gateway: 'legacy-gateway',
            nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
          },
        },
      ],
    }),
  },
];
