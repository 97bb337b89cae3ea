/**
 * The events topic on which a migration says it changed clusters or cloud resources: the
 * atlas reads the cloud inventory again and publishes a new model at once (the clusters' own
 * changes come through its watches), instead of at the next scheduled refresh.
 *
 * @public
 */
export const INGRESS_ATLAS_CHANGES_TOPIC = 'ingress-atlas.changes';

/**
 * The payload of an event on {@link INGRESS_ATLAS_CHANGES_TOPIC}.
 *
 * @public
 */
export interface IngressAtlasChanges {
  /** The scaffolder action that made the change, e.g. `ingress-atlas:gateway:remove-lb`. */
  action: string;
  /** The clusters it changed; empty when it changed only cloud resources (e.g. DNS records). */
  clusters: string[];
}
