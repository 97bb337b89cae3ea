import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';

/**
 * The task schedule at `schedule` in `config` (found at `key` in the app config), or
 * `fallback` when there is none. An invalid schedule throws an error naming `<key>.schedule`.
 *
 * @public
 */
export function readOptionalSchedule(
  config: RootConfigService | undefined,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  if (!config?.has('schedule')) return fallback;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('schedule'));
  } catch (error) {
    throw new Error(`Invalid ${key}.schedule: ${(error as Error).message}`);
  }
}
