import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { ClustersOverview } from './ClustersOverview';
import { FindingsOverview } from './FindingsOverview';
import { RefreshButton } from './RefreshButton';
import { TopologyExplorer } from '../TopologyExplorer';
import { CostOverview } from '../CostOverview';
import { useFocusRing } from '../../utils/focusRing';

const TABS = [
  { path: '/', title: 'Clusters', Tab: ClustersOverview },
  { path: '/topology', title: 'Topology', Tab: TopologyExplorer },
  { path: '/cost', title: 'Cost', Tab: CostOverview },
  { path: '/findings', title: 'Findings', Tab: FindingsOverview },
];

/** Every cluster, the mesh topology, what ingress costs and what looks wrong. */
export function IngressAtlasPage() {
  const focusRing = useFocusRing();
  return (
    <Page themeId="tool">
      <div
        className={focusRing.root}
        style={{ display: 'contents' }}
        data-testid="ingress-atlas-page"
      >
        <Header
          title="Ingress Atlas"
          subtitle="Which service is reachable from where, through what, at what cost"
        >
          <RefreshButton />
        </Header>
        <TabbedLayout>
          {TABS.map(({ path, title, Tab }) => (
            <TabbedLayout.Route key={path} path={path} title={title}>
              <Tab />
            </TabbedLayout.Route>
          ))}
        </TabbedLayout>
      </div>
    </Page>
  );
}
