import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Point blog.example.com at the gateway pods' EIPs, one A record each",
    example: yaml.stringify({
      steps: [
        {
          id: 'dns',
          action: 'ingress-atlas:dns:cutover',
          name: 'Move the DNS record',
          input: {
            domain: 'example.com',
            subDomain: 'blog',
            values: ['203.0.113.10', '203.0.113.11'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Lower the TTL during the cutover, with a named Tencent Cloud account',
    example: yaml.stringify({
      steps: [
        {
          id: 'dns',
          action: 'ingress-atlas:dns:cutover',
          name: 'Move the DNS record',
          input: {
            domain: 'example.com',
            subDomain: 'blog',
            recordType: 'A',
            value: '203.0.113.10',
            ttl: 60,
            account: 'sandbox',
          },
        },
      ],
    }),
  },
];
