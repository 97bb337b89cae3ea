import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useIngressAtlas } from '../../hooks';
import { NodeFindings } from '../FindingsList';
import { NodeList, NodeListItem } from '../Section';
import type { GraphNode } from '../TopologyGraph';

/**
 * The node's own catalog Resource (a cluster's or gateway's) and the catalog entities the
 * paths through a Service or workload belong to, as links.
 */
function NodeEntities({ refs }: { refs: string[] }) {
  return (
    <NodeList title="In the catalog" label="Catalog entities">
      {refs.map(ref => (
        <NodeListItem key={ref}>
          <EntityRefLink entityRef={ref} />
        </NodeListItem>
      ))}
    </NodeList>
  );
}

/** The node's findings, from its cluster's (fetched only for a node that has some). */
function ClusterNodeFindings({ node }: { node: GraphNode }) {
  const { value } = useIngressAtlas(
    api => api.getFindings(node.cluster ? { cluster: node.cluster } : {}),
    [node.cluster],
  );
  return <NodeFindings nodeId={node.id} findings={value?.findings ?? []} />;
}

/**
 * What the details panel adds about a node: the catalog entities it serves and the findings
 * about it, each with its fix. `findings`: those at hand (an entity's own); without them, the
 * node's cluster's are asked for.
 */
export function nodeExtra(findings?: Finding[]) {
  return (node: GraphNode) => {
    const refs = [
      ...(node.resourceRef ? [node.resourceRef] : []),
      ...(node.entityRefs ?? []),
    ];
    return (
      <>
        {refs.length > 0 && <NodeEntities refs={refs} />}
        {node.severity &&
          (findings ? (
            <NodeFindings nodeId={node.id} findings={findings} />
          ) : (
            <ClusterNodeFindings node={node} />
          ))}
      </>
    );
  };
}
