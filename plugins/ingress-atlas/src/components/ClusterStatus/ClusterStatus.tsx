import { Alert, Flex } from '@backstage/ui';
import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { AtlasCluster } from '@ingress-atlas/plugin-ingress-atlas-common';
import { formatAge, formatTimestamp } from '../../utils/format';

export function ClusterStatusLabel({ cluster }: { cluster: AtlasCluster }) {
  if (cluster.analysisError) return <StatusError>Analysis failed</StatusError>;
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

function StaleDetail({ cluster }: { cluster: AtlasCluster }) {
  return (
    <>
      Showing the snapshot from{' '}
      <SnapshotTime collectedAt={cluster.collectedAt} />.
      {cluster.error && <> The last refresh failed: {cluster.error}</>}
    </>
  );
}

function ErrorDetail({ cluster }: { cluster: AtlasCluster }) {
  if (cluster.analysisError) {
    return (
      <>
        {cluster.analysisError}
        {cluster.error && <> The last refresh failed too: {cluster.error}</>}
      </>
    );
  }
  return (
    <>
      {cluster.error ?? 'No inventory has been collected yet.'} Nothing from
      this cluster is shown.
    </>
  );
}

const name = (cluster: AtlasCluster) => cluster.title ?? cluster.name;

const failureTitle = (cluster: AtlasCluster) =>
  cluster.analysisError
    ? `Cluster ${name(cluster)} could not be analysed`
    : `Cluster ${name(cluster)} could not be read`;

function ProblemAlert({
  clusters,
  status,
}: {
  clusters: AtlasCluster[];
  status: 'stale' | 'error';
}) {
  const Detail = status === 'stale' ? StaleDetail : ErrorDetail;
  const alertStatus = status === 'stale' ? 'warning' : 'danger';
  if (clusters.length === 1) {
    const [cluster] = clusters;
    return (
      <Alert
        status={alertStatus}
        icon
        data-testid={`cluster-problem-${cluster.name}`}
        title={
          status === 'stale'
            ? `Stale data from cluster ${name(cluster)}`
            : failureTitle(cluster)
        }
        description={<Detail cluster={cluster} />}
      />
    );
  }
  return (
    <Alert
      status={alertStatus}
      icon
      title={
        status === 'stale'
          ? `Stale data from ${clusters.length} clusters`
          : `${clusters.length} clusters could not be read or analysed`
      }
      description={
        <ul style={{ margin: 0, paddingLeft: '1rem' }}>
          {clusters.map(cluster => (
            <li
              key={cluster.name}
              data-testid={`cluster-problem-${cluster.name}`}
            >
              <strong>{name(cluster)}</strong>: <Detail cluster={cluster} />
            </li>
          ))}
        </ul>
      }
    />
  );
}

/**
 * Says which clusters' data is old or missing, so a user knows which part of what they see
 * to doubt; the rest of the page still shows the other clusters.
 */
export function ClusterProblems({ clusters }: { clusters: AtlasCluster[] }) {
  const stale = clusters.filter(c => c.status === 'stale');
  const failed = clusters.filter(c => c.status === 'error');
  if (stale.length === 0 && failed.length === 0) return null;
  return (
    <Flex direction="column" gap="2">
      {failed.length > 0 && <ProblemAlert clusters={failed} status="error" />}
      {stale.length > 0 && <ProblemAlert clusters={stale} status="stale" />}
    </Flex>
  );
}
