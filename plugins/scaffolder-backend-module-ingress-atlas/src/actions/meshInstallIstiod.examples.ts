import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import * as yaml from 'yaml';

const step = (name: string, input: Record<string, unknown>) =>
  yaml.stringify({
    steps: [
      {
        id: 'istiod',
        action: 'ingress-atlas:mesh:install-istiod',
        name,
        input,
      },
    ],
  });

/** tke-next: a new cluster, with neither istio-system nor Istio's CRDs. */
const onNewCluster = {
  cluster: 'tke-next',
  meshId: 'mesh-blog0001',
  network: 'net-primary',
  tag: '1.18.5',
  eastWestSubnetId: 'subnet-gz000012',
  apply: true,
};

export const examples: TemplateExample[] = [
  {
    description:
      'Write the manifests of a self-managed primary into the workspace, for a pull request',
    example: step('Prepare the Istio control plane', {
      cluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-primary',
      revision: '1-18-5',
      tag: '1.18.5',
      eastWestSubnetId: 'subnet-saas0001',
    }),
  },
  {
    description:
      'Apply them as well, as a revision beside the running control plane, reusing an existing internal CLB for the east-west gateway',
    example: step('Install the Istio control plane', {
      cluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-primary',
      clusterName: 'cls-saas0001',
      revision: '1-22-6',
      tag: '1.22.6',
      eastWestLoadBalancerId: 'lb-saasew01',
      path: 'clusters/saas-primary/istio',
      apply: true,
    }),
  },
  {
    description:
      'Install a primary on a new cluster, which has neither istio-system nor Istio CRDs yet (istioctl brings both), the east-west gateway on an internal CLB of a subnet',
    example: step('Install the Istio control plane', onNewCluster),
  },
  {
    description:
      "Install a primary on a new cluster with the organisation's root: the plug-in CA of an earlier self-managed primary (its istio-system/cacerts) is copied to the new cluster's istio-system/cacerts before istiod starts, so both sign under one root",
    example: step('Install the Istio control plane', {
      ...onNewCluster,
      caSecretCluster: 'tke-saas-primary',
      caSecretNamespace: 'istio-system',
      caSecretName: 'cacerts',
    }),
  },
];
