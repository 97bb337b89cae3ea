import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Join the SaaS remote cluster to the primary: remote secret in the primary, IstioOperator in the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'join',
          action: 'ingress-atlas:mesh:join-remote',
          name: 'Join the remote cluster',
          input: {
            cluster: 'tke-saas-remote',
            primaryCluster: 'tke-saas-primary',
            meshId: 'saas-mesh',
            network: 'net-remote',
          },
        },
      ],
    }),
  },
  {
    description: 'Give the east-west address and a revision explicitly',
    example: yaml.stringify({
      steps: [
        {
          id: 'join',
          action: 'ingress-atlas:mesh:join-remote',
          name: 'Join the remote cluster',
          input: {
            cluster: 'tke-saas-remote',
            primaryCluster: 'tke-saas-primary',
            meshId: 'saas-mesh',
            network: 'net-remote',
            clusterName: 'cls-saas0002',
            remotePilotAddress: '10.20.0.50',
            revision: '1-18-5',
            path: 'clusters/saas-remote/istio',
          },
        },
      ],
    }),
  },
  {
    description:
      "Install the remote profile of the primary's Istio release on the member (a Job runs istioctl), then join it",
    example: yaml.stringify({
      steps: [
        {
          id: 'join',
          action: 'ingress-atlas:mesh:join-remote',
          name: 'Install and join the remote cluster',
          input: {
            cluster: 'tke-saas-remote',
            primaryCluster: 'tke-saas-primary',
            meshId: 'saas-mesh',
            network: 'net-remote',
            apply: true,
          },
        },
      ],
    }),
  },
];
