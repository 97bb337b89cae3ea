import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Pass 80 and 443 through Envoy on the front-proxy nodes to the Istio ingress gateway',
    example: yaml.stringify({
      steps: [
        {
          id: 'front-proxy',
          action: 'ingress-atlas:gateway:front-proxy',
          name: 'Front proxy',
          input: {
            cluster: 'edge',
            nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
          },
        },
      ],
    }),
  },
  {
    description: 'Name the proxy and its upstream explicitly',
    example: yaml.stringify({
      steps: [
        {
          id: 'front-proxy',
          action: 'ingress-atlas:gateway:front-proxy',
          name: 'Front proxy',
          input: {
            cluster: 'edge',
            namespace: 'edge-proxy',
            name: 'tcp-front',
            nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
            upstream: 'istio-ingressgateway.istio-system.svc.cluster.local',
            ports: [443],
            image: 'envoyproxy/envoy:v1.29.1',
          },
        },
      ],
    }),
  },
];
