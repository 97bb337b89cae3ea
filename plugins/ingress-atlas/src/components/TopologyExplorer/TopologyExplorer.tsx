import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { makeStyles } from '@material-ui/core/styles';
import { Checkbox, CheckboxGroup, Flex, Select } from '@backstage/ui';
import {
  CodeSnippet,
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Topology } from '@ingress-atlas/plugin-ingress-atlas-common';
import { useIngressAtlas } from '../../hooks';
import { ClusterProblems } from '../ClusterStatus';
import { nodeExtra } from './nodeExtra';
import {
  Graph,
  NODE_TYPE_ORDER,
  NODE_TYPE_PLURALS,
  TopologyGraph,
} from '../TopologyGraph';
import { SECTION_TITLE } from '../../utils/headings';
import { TOPOLOGY_PARAMS } from '../../utils/topologyLink';

const ATLAS_NODE_EXTRA = nodeExtra();
/** Hosts are not part of the atlas's topology: only an entity's graph draws them. */
const NODE_TYPES = NODE_TYPE_ORDER.filter(type => type !== 'host');

/** The choice of every cluster or namespace: not a name either can have. */
const ALL = '*';

function withoutTypes(topology: Topology, hidden: Set<string>): Graph {
  if (hidden.size === 0) return topology;
  const nodes = topology.nodes.filter(n => !hidden.has(n.type));
  const kept = new Set(nodes.map(n => n.id));
  return {
    nodes,
    edges: topology.edges.filter(e => kept.has(e.source) && kept.has(e.target)),
  };
}

const useStyles = makeStyles({
  // The node types wrap onto more lines rather than run off a phone's screen.
  types: {
    maxWidth: '100%',
    '& .bui-CheckboxGroupContent': {
      flexWrap: 'wrap',
      rowGap: 'var(--bui-space-2)',
    },
  },
});

/** One filter of the topology: a choice or all. */
function FilterSelect(props: {
  label: string;
  allLabel: string;
  value: string;
  options: Array<{ id: string; label: string }>;
  onChange: (value: string) => void;
  searchable?: boolean;
}) {
  const { label, allLabel, value, options, onChange, searchable } = props;
  return (
    <Select
      label={label}
      options={[{ id: ALL, label: allLabel }, ...options]}
      value={value}
      onChange={key => onChange(String(key ?? ALL))}
      searchable={searchable}
      style={{ width: 240, maxWidth: '100%' }}
    />
  );
}

/**
 * The mesh topology of every cluster: control planes (TCM-managed ones included), revisions,
 * gateways, east-west links and remotes, entries, routes, Services and workloads, with
 * filters by cluster, namespace and node type.
 */
export function TopologyExplorer() {
  const classes = useStyles();
  // A link may narrow the graph to a cluster and select a node (topologyNodeLink).
  const [params] = useSearchParams();
  const [cluster, setCluster] = useState(
    params.get(TOPOLOGY_PARAMS.cluster) ?? ALL,
  );
  const [namespace, setNamespace] = useState(ALL);
  const [hidden, setHidden] = useState<Set<string>>(new Set());

  const clusters = useIngressAtlas(api => api.getClusters());
  const scope = useIngressAtlas(
    api => api.getTopology({ cluster: cluster === ALL ? undefined : cluster }),
    [cluster],
  );
  const narrowed = useIngressAtlas(
    api =>
      namespace === ALL
        ? Promise.resolve(undefined)
        : api.getTopology({
            cluster: cluster === ALL ? undefined : cluster,
            namespace,
          }),
    [cluster, namespace],
  );
  const filtered = cluster !== ALL || namespace !== ALL;
  const topology = namespace === ALL ? scope.value : narrowed.value;
  const loading = scope.loading || (namespace !== ALL && narrowed.loading);
  const error = scope.error ?? narrowed.error;

  const namespaces = useMemo(
    () =>
      [
        ...new Set(
          (scope.value?.nodes ?? [])
            .map(n => n.namespace)
            .filter((ns): ns is string => !!ns),
        ),
      ].sort(),
    [scope.value],
  );
  const graph = useMemo(
    () => topology && withoutTypes(topology, hidden),
    [topology, hidden],
  );

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading || !graph) {
    body = <Progress />;
  } else if (topology?.nodes.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={filtered ? 'Nothing matches these filters' : 'No topology yet'}
        description={
          filtered
            ? 'Clear the cluster or namespace filter to see more.'
            : 'Ingress Atlas draws the clusters listed under ingressAtlas.clusters in app-config.yaml once a refresh has read them.'
        }
        action={
          filtered ? undefined : (
            <CodeSnippet
              language="yaml"
              text={
                'ingressAtlas:\n  clusters:\n    - name: my-cluster\n      url: https://...\n      provider: tencent'
              }
            />
          )
        }
      />
    );
  } else {
    body = (
      <TopologyGraph
        graph={graph}
        height="70vh"
        nodeExtra={ATLAS_NODE_EXTRA}
        initialSelectedId={params.get(TOPOLOGY_PARAMS.node) ?? undefined}
      />
    );
  }

  return (
    <Content>
      <Flex direction="column" gap="4">
        <ClusterProblems clusters={clusters.value?.clusters ?? []} />
        <InfoCard title="Mesh topology" titleTypographyProps={SECTION_TITLE}>
          <Flex align="end" gap="6" mb="4" style={{ flexWrap: 'wrap' }}>
            <FilterSelect
              label="Cluster"
              allLabel="All clusters"
              value={cluster}
              options={(clusters.value?.clusters ?? []).map(c => ({
                id: c.name,
                label: `${c.title ?? c.name}${
                  c.status !== 'ok' ? ` (${c.status})` : ''
                }`,
              }))}
              onChange={value => {
                setCluster(value);
                setNamespace(ALL);
              }}
            />
            <FilterSelect
              label="Namespace"
              allLabel="All namespaces"
              value={namespace}
              options={namespaces.map(ns => ({ id: ns, label: ns }))}
              onChange={setNamespace}
              searchable
            />
            <CheckboxGroup
              className={classes.types}
              label="Show"
              orientation="horizontal"
              value={NODE_TYPES.filter(type => !hidden.has(type))}
              onChange={shown =>
                setHidden(
                  new Set(NODE_TYPES.filter(type => !shown.includes(type))),
                )
              }
            >
              {NODE_TYPES.map(type => (
                <Checkbox key={type} value={type}>
                  {NODE_TYPE_PLURALS[type]}
                </Checkbox>
              ))}
            </CheckboxGroup>
          </Flex>
          {body}
        </InfoCard>
      </Flex>
    </Content>
  );
}
