import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the blog Service as www.blog.example.com through the mesh gateway',
    example: yaml.stringify({
      steps: [
        {
          id: 'expose',
          action: 'ingress-atlas:gateway:expose-service',
          name: 'Expose the service',
          input: {
            cluster: 'tke-blog',
            namespace: 'blog',
            service: 'blog',
            host: 'www.blog.example.com',
          },
        },
      ],
    }),
  },
  {
    description: 'Publish over HTTPS, on a given port and gateway',
    example: yaml.stringify({
      steps: [
        {
          id: 'expose',
          action: 'ingress-atlas:gateway:expose-service',
          name: 'Expose the service',
          input: {
            cluster: 'tke-saas-primary',
            namespace: 'saas',
            service: 'saas-api',
            port: 8080,
            host: 'api.saas.example.com',
            gateway: 'istio-ingressgateway',
            gatewayNamespace: 'istio-system',
            credentialName: 'saas-api-tls',
          },
        },
      ],
    }),
  },
];
