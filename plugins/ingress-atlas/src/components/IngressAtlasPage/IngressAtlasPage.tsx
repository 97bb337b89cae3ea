import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { ClustersOverview } from './ClustersOverview';
import { FindingsOverview } from './FindingsOverview';
import { RefreshButton } from './RefreshButton';
import { TopologyExplorer } from '../TopologyExplorer';
import { CostOverview } from '../CostOverview';
import { useFocusRing } from '../../utils/focusRing';

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
          <TabbedLayout.Route path="/" title="Clusters">
            <ClustersOverview />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/topology" title="Topology">
            <TopologyExplorer />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/cost" title="Cost">
            <CostOverview />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/findings" title="Findings">
            <FindingsOverview />
          </TabbedLayout.Route>
        </TabbedLayout>
      </div>
    </Page>
  );
}
