import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

const CONFIG_KEY = 'search.collators.ingressAtlas';

export interface IngressAtlasCollatorConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  locationTemplate: string;
}

const DEFAULTS: IngressAtlasCollatorConfig = {
  schedule: {
    frequency: { minutes: 10 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 3 },
  },
  locationTemplate: '/catalog/:namespace/:kind/:name/ingress',
};

export function readCollatorConfig(root: Config): IngressAtlasCollatorConfig {
  const config = root.getOptionalConfig(CONFIG_KEY);
  let schedule = DEFAULTS.schedule;
  if (config?.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      );
    } catch (error) {
      throw new Error(
        `Invalid ${CONFIG_KEY}.schedule: ${(error as Error).message}`,
      );
    }
  }
  const locationTemplate =
    config?.getOptionalString('locationTemplate') ?? DEFAULTS.locationTemplate;
  return { schedule, locationTemplate };
}
