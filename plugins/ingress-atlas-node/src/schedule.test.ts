import { mockServices } from '@backstage/backend-test-utils';
import { readOptionalSchedule } from './schedule';

const fallback = { frequency: { minutes: 5 }, timeout: { minutes: 10 } };

describe('readOptionalSchedule', () => {
  const read = (data: object) =>
    readOptionalSchedule(mockServices.rootConfig({ data }), 'ingressAtlas.refresh', fallback);

  it('reads a schedule, and falls back when there is none', () => {
    expect(read({ schedule: { frequency: { hours: 1 }, timeout: { minutes: 2 } } })).toEqual({
      frequency: { hours: 1 },
      timeout: { minutes: 2 },
    });
    expect(read({})).toBe(fallback);
    expect(readOptionalSchedule(undefined, 'ingressAtlas.refresh', fallback)).toBe(fallback);
  });

  it('names the setting of an invalid schedule', () => {
    expect(() => read({ schedule: { frequency: 'often', timeout: { minutes: 2 } } })).toThrow(
      /^Invalid ingressAtlas\.refresh\.schedule: /,
    );
  });
});
