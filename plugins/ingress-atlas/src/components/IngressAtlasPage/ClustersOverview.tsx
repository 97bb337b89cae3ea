import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  CodeSnippet,
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { AtlasCluster } from '@ingress-atlas/plugin-ingress-atlas-common';
import { useIngressAtlas } from '../../hooks';
import {
  ClusterProblems,
  ClusterStatusLabel,
  SnapshotTime,
} from '../ClusterStatus';
import { formatTimestamp } from '../../utils/format';
import { kindName, unavailableKinds } from '../../utils/clusterKinds';

// material-table keeps each row's state by `id`.
type ClusterRow = AtlasCluster & { id: string };

const CLUSTERS_EXAMPLE = `ingressAtlas:
  clusters:
    - name: tke-prod
      url: https://cls-xxxxxxxx.ccs.tencent-cloud.com
      serviceAccountToken: \${TKE_PROD_TOKEN}
      provider: tencent
      region: ap-guangzhou
      cloudClusterId: cls-xxxxxxxx`;

const columns: TableColumn<ClusterRow>[] = [
  {
    title: 'Cluster',
    field: 'name',
    highlight: true,
    render: c => (
      <>
        {c.title ?? c.name}
        {c.title && (
          <Typography variant="caption" color="textSecondary" component="div">
            {c.name}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Provider', field: 'provider' },
  { title: 'Region', field: 'region' },
  { title: 'Cloud cluster id', field: 'cloudClusterId' },
  { title: 'Source', field: 'source' },
  {
    title: 'Status',
    field: 'status',
    render: c => <ClusterStatusLabel cluster={c} />,
  },
  {
    title: 'Snapshot',
    field: 'collectedAt',
    render: c => <SnapshotTime collectedAt={c.collectedAt} />,
  },
  {
    title: 'Problems',
    sorting: false,
    render: c => <ClusterNotes cluster={c} />,
  },
];

function ClusterNotes({ cluster }: { cluster: AtlasCluster }) {
  const { unreadable, notInstalled } = unavailableKinds(cluster);
  return (
    <>
      {cluster.analysisError && (
        <Typography variant="body2" color="error">
          {cluster.analysisError}
        </Typography>
      )}
      {cluster.error && (
        <Typography variant="body2" color="error">
          {cluster.error}
        </Typography>
      )}
      {unreadable.map(k => (
        <Typography variant="body2" key={k.kind}>
          {kindName(k.kind)} could not be read: {k.reason}
        </Typography>
      ))}
      {notInstalled.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="div">
          Not installed: {notInstalled.map(k => kindName(k.kind)).join(', ')}
        </Typography>
      )}
    </>
  );
}

/** Every cluster with how fresh its data is; a broken cluster never hides the others. */
export function ClustersOverview() {
  const { value, loading, error } = useIngressAtlas(api => api.getClusters());
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const clusters = value?.clusters ?? [];
  return (
    <Content>
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        {value?.sourceErrors.map(source => (
          <Alert severity="error" key={source.source}>
            <AlertTitle>Cluster source {source.source} failed</AlertTitle>
            {source.error}. Clusters from other sources are shown.
          </Alert>
        ))}
        {clusters.length === 0 ? (
          <EmptyState
            missing="info"
            title="No clusters configured"
            description="Ingress Atlas reads the clusters listed under ingressAtlas.clusters in app-config.yaml (or those a cluster source module provides). Add one, then refresh."
            action={<CodeSnippet language="yaml" text={CLUSTERS_EXAMPLE} />}
          />
        ) : (
          <>
            <ClusterProblems clusters={clusters} />
            <Table<ClusterRow>
              title="Clusters"
              subtitle={
                value?.generatedAt
                  ? `Model built ${formatTimestamp(value.generatedAt)}`
                  : 'The first refresh has not finished yet'
              }
              columns={columns}
              data={clusters.map(c => ({ ...c, id: c.name }))}
              options={{
                search: false,
                paging: false,
                padding: 'dense',
                // A draggable header puts a focusable drag handle inside the sort button:
                // two nested tab stops, and a screen reader names neither well.
                draggable: false,
              }}
            />
          </>
        )}
      </Box>
    </Content>
  );
}
