import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
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

const ALL = '';

function withoutTypes(topology: Topology, hidden: Set<string>): Graph {
  if (hidden.size === 0) return topology;
  const nodes = topology.nodes.filter(n => !hidden.has(n.type));
  const kept = new Set(nodes.map(n => n.id));
  return {
    nodes,
    edges: topology.edges.filter(e => kept.has(e.source) && kept.has(e.target)),
  };
}

/**
 * One filter of the topology: a choice or all. Named by its label and the value it shows
 * ("Cluster All clusters"), so a voice user can say what they see.
 */
function FilterSelect(props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  const { id, label, allLabel, value, options, onChange } = props;
  return (
    <FormControl style={{ minWidth: 200 }}>
      <InputLabel id={id} shrink>
        {label}
      </InputLabel>
      <Select
        labelId={id}
        SelectDisplayProps={{ id: `${id}-value` }}
        value={value}
        displayEmpty
        onChange={e => onChange(e.target.value as string)}
      >
        <MenuItem value={ALL}>{allLabel}</MenuItem>
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * The mesh topology of every cluster: control planes (TCM-managed ones included), revisions,
 * gateways, east-west links and remotes, entries, routes, Services and workloads, with
 * filters by cluster, namespace and node type.
 */
export function TopologyExplorer() {
  // A link may narrow the graph to a cluster and select a node (topologyNodeLink).
  const [params] = useSearchParams();
  const [cluster, setCluster] = useState(
    params.get(TOPOLOGY_PARAMS.cluster) ?? ALL,
  );
  const [namespace, setNamespace] = useState(ALL);
  const [hidden, setHidden] = useState<Set<string>>(new Set());

  const clusters = useIngressAtlas(api => api.getClusters());
  const scope = useIngressAtlas(
    api => api.getTopology({ cluster: cluster || undefined }),
    [cluster],
  );
  const narrowed = useIngressAtlas(
    api =>
      namespace
        ? api.getTopology({ cluster: cluster || undefined, namespace })
        : Promise.resolve(undefined),
    [cluster, namespace],
  );
  const topology = namespace ? narrowed.value : scope.value;
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

  const toggleType = (type: string) => {
    const next = new Set(hidden);
    if (next.has(type)) next.delete(type);
    else next.add(type);
    setHidden(next);
  };

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading || !graph) {
    body = <Progress />;
  } else if (topology?.nodes.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={
          cluster || namespace
            ? 'Nothing matches these filters'
            : 'No topology yet'
        }
        description={
          cluster || namespace
            ? 'Clear the cluster or namespace filter to see more.'
            : 'Ingress Atlas draws the clusters listed under ingressAtlas.clusters in app-config.yaml once a refresh has read them.'
        }
        action={
          cluster || namespace ? undefined : (
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
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        <ClusterProblems clusters={clusters.value?.clusters ?? []} />
        <InfoCard title="Mesh topology" titleTypographyProps={SECTION_TITLE}>
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="flex-end"
            mb={2}
            style={{ gap: 24 }}
          >
            <FilterSelect
              id="topology-cluster"
              label="Cluster"
              allLabel="All clusters"
              value={cluster}
              options={(clusters.value?.clusters ?? []).map(c => ({
                value: c.name,
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
              id="topology-namespace"
              label="Namespace"
              allLabel="All namespaces"
              value={namespace}
              options={namespaces.map(ns => ({ value: ns, label: ns }))}
              onChange={setNamespace}
            />
            <FormControl component="fieldset">
              <FormLabel component="legend">Show</FormLabel>
              <FormGroup row>
                {NODE_TYPES.map(type => (
                  <FormControlLabel
                    key={type}
                    control={
                      <Checkbox
                        size="small"
                        checked={!hidden.has(type)}
                        onChange={() => toggleType(type)}
                      />
                    }
                    label={NODE_TYPE_PLURALS[type]}
                  />
                ))}
              </FormGroup>
            </FormControl>
          </Box>
          {body}
        </InfoCard>
      </Box>
    </Content>
  );
}
