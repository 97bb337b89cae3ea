import {
  CodeSnippet,
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Alert,
  Cell,
  ColumnConfig,
  Flex,
  SortDescriptor,
  Table,
  Text,
  useTable,
} from '@backstage/ui';
import { AtlasCluster } from '@ingress-atlas/plugin-ingress-atlas-common';
import { useIngressAtlas } from '../../hooks';
import {
  ClusterProblems,
  ClusterStatusLabel,
  SnapshotTime,
} from '../ClusterStatus';
import { formatTimestamp } from '../../utils/format';
import { kindName, unavailableKinds } from '../../utils/clusterKinds';
import { useSubtleText } from '../../utils/subtleText';

type ClusterRow = AtlasCluster & { id: string };

const CLUSTERS_EXAMPLE = `ingressAtlas:
  clusters:
    - name: tke-prod
      url: https://cls-xxxxxxxx.ccs.tencent-cloud.com
      serviceAccountToken: \${TKE_PROD_TOKEN}
      provider: tencent
      region: ap-guangzhou
      cloudClusterId: cls-xxxxxxxx`;

const STATUS_ORDER: Record<AtlasCluster['status'], number> = {
  error: 0,
  stale: 1,
  ok: 2,
};

/** What each sortable column sorts by. */
const SORT_KEYS: Record<string, (c: ClusterRow) => string | number> = {
  name: c => c.title ?? c.name,
  provider: c => c.provider ?? '',
  region: c => c.region ?? '',
  cloudClusterId: c => c.cloudClusterId ?? '',
  source: c => c.source ?? '',
  status: c => (c.analysisError ? -1 : STATUS_ORDER[c.status]),
  collectedAt: c => c.collectedAt ?? '',
};

function sortClusters(rows: ClusterRow[], sort: SortDescriptor) {
  const key = SORT_KEYS[String(sort.column)];
  if (!key) return rows;
  const sign = sort.direction === 'descending' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en-US');
  });
}

/** Text that wraps rather than end in an ellipsis: names and ids are read whole. */
function WrappingCell({ text }: { text?: string }) {
  return (
    <Cell>
      <Text variant="body-medium">{text ?? ''}</Text>
    </Cell>
  );
}

function SubtleName({ name }: { name: string }) {
  const subtle = useSubtleText();
  return (
    <Text as="p" variant="body-small" className={subtle.root}>
      {name}
    </Text>
  );
}

// Widths that keep the headers whole; they add up to the page's width at
// 1440 px, and on a phone the table scrolls sideways rather than squeeze into 390 px.
const columns: ColumnConfig<ClusterRow>[] = [
  {
    id: 'name',
    label: 'Cluster',
    isRowHeader: true,
    isSortable: true,
    minWidth: 160,
    cell: c => (
      <Cell>
        <Text as="p" variant="body-medium">
          {c.title ?? c.name}
        </Text>
        {c.title && <SubtleName name={c.name} />}
      </Cell>
    ),
  },
  {
    id: 'provider',
    label: 'Provider',
    isSortable: true,
    minWidth: 110,
    cell: c => <WrappingCell text={c.provider} />,
  },
  {
    id: 'region',
    label: 'Region',
    isSortable: true,
    minWidth: 130,
    cell: c => <WrappingCell text={c.region} />,
  },
  {
    id: 'cloudClusterId',
    label: 'Cloud cluster id',
    isSortable: true,
    minWidth: 170,
    cell: c => <WrappingCell text={c.cloudClusterId} />,
  },
  {
    id: 'source',
    label: 'Source',
    isSortable: true,
    minWidth: 100,
    cell: c => <WrappingCell text={c.source} />,
  },
  {
    id: 'status',
    label: 'Status',
    isSortable: true,
    minWidth: 110,
    cell: c => (
      <Cell>
        <ClusterStatusLabel cluster={c} />
      </Cell>
    ),
  },
  {
    id: 'collectedAt',
    label: 'Snapshot',
    isSortable: true,
    minWidth: 160,
    cell: c => (
      <Cell>
        <SnapshotTime collectedAt={c.collectedAt} />
      </Cell>
    ),
  },
  {
    id: 'problems',
    label: 'Problems',
    minWidth: 160,
    cell: c => (
      <Cell>
        <ClusterNotes cluster={c} />
      </Cell>
    ),
  },
];

function ClusterNotes({ cluster }: { cluster: AtlasCluster }) {
  const subtle = useSubtleText();
  const { unreadable, notInstalled } = unavailableKinds(cluster);
  return (
    <>
      {cluster.analysisError && (
        <Text as="p" variant="body-medium" color="danger">
          {cluster.analysisError}
        </Text>
      )}
      {cluster.error && (
        <Text as="p" variant="body-medium" color="danger">
          {cluster.error}
        </Text>
      )}
      {unreadable.map(k => (
        <Text as="p" variant="body-medium" key={k.kind}>
          {kindName(k.kind)} could not be read: {k.reason}
        </Text>
      ))}
      {notInstalled.length > 0 && (
        <Text as="p" variant="body-small" className={subtle.root}>
          Not installed: {notInstalled.map(k => kindName(k.kind)).join(', ')}
        </Text>
      )}
    </>
  );
}

function ClusterTable({
  clusters,
  generatedAt,
}: {
  clusters: AtlasCluster[];
  generatedAt?: string;
}) {
  const subtle = useSubtleText();
  const { tableProps } = useTable({
    mode: 'complete',
    data: clusters.map(c => ({ ...c, id: c.name })),
    paginationOptions: { type: 'none' },
    sortFn: sortClusters,
  });
  return (
    <Flex direction="column" gap="2">
      <div>
        <Text as="h2" variant="title-small" weight="bold">
          Clusters
        </Text>
        <Text as="p" variant="body-medium" className={subtle.root}>
          {generatedAt
            ? `Model built ${formatTimestamp(generatedAt)}`
            : 'The first refresh has not finished yet'}
        </Text>
      </div>
      <Table columnConfig={columns} {...tableProps} />
    </Flex>
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
      <Flex direction="column" gap="4">
        {value?.sourceErrors.map(source => (
          <Alert
            key={source.source}
            status="danger"
            icon
            title={`Cluster source ${source.source} failed`}
            description={`${source.error}. Clusters from other sources are shown.`}
          />
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
            <ClusterTable
              clusters={clusters}
              generatedAt={value?.generatedAt}
            />
          </>
        )}
      </Flex>
    </Content>
  );
}
