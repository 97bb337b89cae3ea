import { gbPerMonthFromBytes, gbPerMonthFromMbps } from './traffic';

describe('traffic volumes', () => {
  it('scales bytes counted over a window to a 30-day month', () => {
    // 8 GB over 2 days = 4 GB/day = 120 GB in 30 days.
    expect(gbPerMonthFromBytes(8e9, 2 * 86_400)).toBe(120);
  });

  it('turns average bandwidth points into GB per month', () => {
    // 1 Mbps = 125,000 B/s; x 2,592,000 s = 324 GB. The points average to 1 Mbps.
    expect(gbPerMonthFromMbps([0.5, 1.5, 1])).toBe(324);
  });

  it('says nothing, rather than 0, when there is no point', () => {
    expect(gbPerMonthFromMbps([])).toBeUndefined();
  });
});
