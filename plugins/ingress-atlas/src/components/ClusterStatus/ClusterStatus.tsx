import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { AtlasCluster } from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatAge, formatTimestamp } from '../../utils/format';

export function ClusterStatusLabel({ cluster }: { cluster: AtlasCluster }) {
  switch (cluster.status) {
    case 'ok':
      return <StatusOK>Up to date</StatusOK>;
    case 'stale':
      return <StatusWarning>Stale</StatusWarning>;
    default:
      return <StatusError>Unavailable</StatusError>;
  }
}

/** `2026-11-21 10:04 (3 minutes ago)`, or a dash when the cluster was never read. */
export function SnapshotTime({ collectedAt }: { collectedAt?: string }) {
  if (!collectedAt) return <>never collected</>;
  return (
    <time dateTime={collectedAt} title={collectedAt}>
      {formatTimestamp(collectedAt)} ({formatAge(collectedAt)})
    </time>
  );
}

/**
 * One alert per cluster whose data is old or missing, so a user knows which part of what
 * they see to doubt; the rest of the page still shows the other clusters.
 */
export function ClusterProblems({ clusters }: { clusters: AtlasCluster[] }) {
  const troubled = clusters.filter(c => c.status !== 'ok');
  if (troubled.length === 0) return null;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      {troubled.map(cluster => (
        <Alert
          key={cluster.name}
          severity={cluster.status === 'stale' ? 'warning' : 'error'}
          data-testid={`cluster-problem-${cluster.name}`}
        >
          <AlertTitle>
            {cluster.status === 'stale'
              ? `Stale data from cluster ${cluster.title ?? cluster.name}`
              : `Cluster ${cluster.title ?? cluster.name} could not be read`}
          </AlertTitle>
          {cluster.status === 'stale' ? (
            <Typography variant="body2">
              Showing the snapshot from{' '}
              <SnapshotTime collectedAt={cluster.collectedAt} />.
              {cluster.error && <> The last refresh failed: {cluster.error}</>}
            </Typography>
          ) : (
            <Typography variant="body2">
              {cluster.error ?? 'No inventory has been collected yet.'} Nothing
              from this cluster is shown.
            </Typography>
          )}
        </Alert>
      ))}
    </Box>
  );
}
