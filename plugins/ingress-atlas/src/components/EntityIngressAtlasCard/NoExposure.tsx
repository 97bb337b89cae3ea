import { Flex, Text } from '@backstage/ui';
import {
  INGRESS_ATLAS_HOSTS_ANNOTATION,
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/** Says what to check when the atlas found no way into an entity. */
export function NoExposure() {
  return (
    <Flex direction="column" gap="2">
      <Text as="p" variant="body-large" weight="bold">
        No exposure path found for this entity
      </Text>
      <Text as="p" variant="body-medium">
        Ingress Atlas matches the entity's <code>{KUBERNETES_ANNOTATION}</code>{' '}
        to the <code>backstage.io/kubernetes-id</code> label of workloads, its{' '}
        <code>{KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION}</code> to their
        labels, and its <code>{INGRESS_ATLAS_HOSTS_ANNOTATION}</code> to route
        hosts.
      </Text>
      <Text as="p" variant="body-medium">
        If the workload is exposed, check that its cluster is listed under{' '}
        <code>ingressAtlas.clusters</code> in app-config.yaml and that the last
        refresh reached it (the Ingress Atlas page lists every cluster).
      </Text>
    </Flex>
  );
}
