import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readOptionalSchedule } from '@ingress-atlas/plugin-ingress-atlas-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

const CONFIG_KEY = 'ingressAtlas.catalog';

/**
 * The entity provider's settings, read from `ingressAtlas.catalog` with their defaults.
 *
 * @public
 */
export interface EntityProviderConfig {
  owner: string;
  ownerTag: string;
  clusterAuthProvider: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 15 },
};

export function readEntityProviderConfig(root: Config): EntityProviderConfig {
  const config = root.getOptionalConfig(CONFIG_KEY);
  const owner =
    config?.getOptionalString('owner') ?? 'group:default/platform-team';
  const schedule = readOptionalSchedule(config, CONFIG_KEY, DEFAULT_SCHEDULE);
  return {
    owner: ownerRef(owner, `${CONFIG_KEY}.owner`),
    ownerTag: config?.getOptionalString('ownerTag') ?? 'owner',
    clusterAuthProvider:
      config?.getOptionalString('clusterAuthProvider') ?? 'serviceAccount',
    schedule,
  };
}

/** A full entity ref for an owner written as a ref or a bare group name. */
export function ownerRef(value: string, what: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new Error(`Invalid ${what} '${value}': ${(error as Error).message}`);
  }
}
