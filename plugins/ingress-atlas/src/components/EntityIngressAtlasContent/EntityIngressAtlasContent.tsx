import { useMemo } from 'react';
import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Flex } from '@backstage/ui';
import { EntityExposure } from '../../api';
import { useEntityExposure } from '../../hooks';
import { ClusterProblems } from '../ClusterStatus';
import { FindingsList } from '../FindingsList';
import { nodeExtra } from '../TopologyExplorer/nodeExtra';
import { ExposurePathsTable } from '../ExposurePathsTable';
import { CostBreakdown } from '../CostBreakdown';
import { TopologyGraph } from '../TopologyGraph';
import { NoExposure } from '../EntityIngressAtlasCard/NoExposure';
import { entityGraph } from './entityGraph';
import { Section } from '../Section';
import { useFocusRing } from '../../utils/focusRing';

/** The entity's Ingress tab: paths, findings, cost and its own topology. */
export function EntityIngressAtlasContent() {
  const { value, loading, error } = useEntityExposure();
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.paths.length === 0) {
    return (
      <Content>
        <ClusterProblems clusters={value?.clusters ?? []} />
        <Section title="Ingress">
          <NoExposure />
        </Section>
      </Content>
    );
  }
  return <ExposureDetails exposure={value} />;
}

function ExposureDetails({ exposure }: { exposure: EntityExposure }) {
  const graph = useMemo(() => entityGraph(exposure), [exposure]);
  const focusRing = useFocusRing();
  return (
    <Flex
      direction="column"
      gap="5"
      className={focusRing.root}
      data-testid="ingress-atlas-content"
    >
      {exposure.clusters.some(c => c.status !== 'ok') && (
        <ClusterProblems clusters={exposure.clusters} />
      )}
      {exposure.findings.length > 0 && (
        <Section title="Findings">
          <FindingsList findings={exposure.findings} />
        </Section>
      )}
      <ExposurePathsTable exposure={exposure} />
      <CostBreakdown exposure={exposure} />
      <Section
        title="Topology"
        subtitle="Host → entry → gateway → route → Service → workload"
      >
        <TopologyGraph
          graph={graph}
          height={480}
          nodeExtra={nodeExtra(exposure.findings)}
        />
      </Section>
    </Flex>
  );
}
