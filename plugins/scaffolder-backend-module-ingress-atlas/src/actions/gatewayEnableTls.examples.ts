import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Serve blog.example.com over HTTPS with the certificate in istio-system/blog-tls',
    example: yaml.stringify({
      steps: [
        {
          id: 'tls',
          action: 'ingress-atlas:gateway:enable-tls',
          name: 'Enable HTTPS',
          input: {
            cluster: 'tke-blog',
            namespace: 'istio-system',
            gateway: 'istio-ingressgateway',
            host: 'blog.example.com',
            credentialName: 'blog-tls',
          },
        },
      ],
    }),
  },
  {
    description: 'Add HTTPS but keep plain HTTP answering (no redirect)',
    example: yaml.stringify({
      steps: [
        {
          id: 'tls',
          action: 'ingress-atlas:gateway:enable-tls',
          name: 'Enable HTTPS',
          input: {
            cluster: 'tke-blog',
            host: 'blog.example.com',
            credentialName: 'blog-tls',
            httpsRedirect: false,
          },
        },
      ],
    }),
  },
];
