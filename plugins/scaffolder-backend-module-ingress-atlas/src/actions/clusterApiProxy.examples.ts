import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Reach the API server of a TKE cluster from another VPC through an internal CLB',
    example: yaml.stringify({
      steps: [
        {
          id: 'api-proxy',
          action: 'ingress-atlas:cluster:api-proxy',
          name: 'API server proxy',
          input: {
            cluster: 'tke-saas-remote',
            subnetId: 'subnet-saas0002',
            sourceRanges: ['10.20.0.0/16'],
          },
        },
      ],
    }),
  },
  {
    description:
      'A public load balancer, knowingly, limited to the office network',
    example: yaml.stringify({
      steps: [
        {
          id: 'api-proxy',
          action: 'ingress-atlas:cluster:api-proxy',
          name: 'API server proxy',
          input: {
            cluster: 'tke-saas-remote',
            public: true,
            allowPublic: true,
            sourceRanges: ['198.51.100.0/24'],
          },
        },
      ],
    }),
  },
];
