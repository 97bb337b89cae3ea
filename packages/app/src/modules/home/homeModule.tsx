import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Ingress Atlas

Which service is reachable from where, through what, and at what cost, across the
Kubernetes and Istio estates on Tencent Cloud, Alibaba Cloud and Huawei Cloud.

- **[Ingress Atlas](/ingress-atlas)**: every cluster's state, findings, the mesh topology
  and the monthly cost of load balancers and EIPs
- **[Catalog](/catalog)**: a component's *Ingress* tab lists how it is exposed, what that
  costs and what to fix
- **[Create](/create)**: migration templates, such as moving a gateway from a CLB to pod EIPs
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Where to find ingress paths, findings, costs and migrations',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
