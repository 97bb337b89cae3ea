import { useMemo } from 'react';
import Grid from '@material-ui/core/Grid';
import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
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
import { SECTION_TITLE } from '../../utils/headings';
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
        <InfoCard title="Ingress" titleTypographyProps={SECTION_TITLE}>
          <NoExposure />
        </InfoCard>
      </Content>
    );
  }
  return <ExposureDetails exposure={value} />;
}

function ExposureDetails({ exposure }: { exposure: EntityExposure }) {
  const graph = useMemo(() => entityGraph(exposure), [exposure]);
  const focusRing = useFocusRing();
  return (
    <Grid
      container
      spacing={3}
      className={focusRing.root}
      data-testid="ingress-atlas-content"
    >
      {exposure.clusters.some(c => c.status !== 'ok') && (
        <Grid item xs={12}>
          <ClusterProblems clusters={exposure.clusters} />
        </Grid>
      )}
      {exposure.findings.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Findings" titleTypographyProps={SECTION_TITLE}>
            <FindingsList findings={exposure.findings} />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <ExposurePathsTable exposure={exposure} />
      </Grid>
      <Grid item xs={12}>
        <CostBreakdown exposure={exposure} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Topology"
          titleTypographyProps={SECTION_TITLE}
          subheader="Host → entry → gateway → route → Service → workload"
        >
          <TopologyGraph
            graph={graph}
            height={480}
            nodeExtra={nodeExtra(exposure.findings)}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
