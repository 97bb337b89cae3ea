import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readOptionalSchedule } from '@ingress-atlas/plugin-ingress-atlas-node';
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
  const schedule = readOptionalSchedule(config, CONFIG_KEY, DEFAULTS.schedule);
  const locationTemplate =
    config?.getOptionalString('locationTemplate') ?? DEFAULTS.locationTemplate;
  return { schedule, locationTemplate };
}
