import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import type {
  AtlasModel,
  Cost,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { CostHistoryStore } from './CostHistoryStore';
import { costDayOf } from './costDay';

jest.setTimeout(60_000);

// PostgreSQL runs when the test script provides it (scripts/postgres.sh); SQLite always.
const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.INGRESS_ATLAS_TEST_POSTGRES) {
  ids.push(process.env.INGRESS_ATLAS_TEST_POSTGRES as TestDatabaseId);
}
const databases = TestDatabases.create({ ids });

function entry(cluster: string, provider: Entry['provider']): Entry {
  return {
    id: `entry:${cluster}/load-balancer/istio-system/ingressgateway`,
    cluster,
    type: 'load-balancer',
    network: 'public',
    networkReason: 'the cloud inventory',
    addresses: [],
    provider,
    ports: [],
    resources: [],
    notes: [],
  };
}

function cost(id: string, monthlyCny: number, more: Partial<Cost> = {}): Cost {
  return {
    id,
    provider: 'tencent',
    state: 'in-use',
    monthlyCny,
    parts: [],
    unpriced: [],
    traffic: 'unknown',
    ...more,
  };
}

const blog = entry('tke-blog', 'tencent');
const huawei = entry('huawei-cce', 'huawei');

/** An estate of a blog on TKE, an idle load balancer, and some days a Huawei ELB with no price. */
function model(
  generatedAt: string,
  options: { blogCny?: number; huaweiElb?: boolean } = {},
): AtlasModel {
  const { blogCny = 144, huaweiElb = false } = options;
  return {
    generatedAt,
    clusters: [],
    controlPlanes: [],
    gateways: [],
    entries: huaweiElb ? [blog, huawei] : [blog],
    routes: [],
    paths: [],
    findings: [],
    costs: [
      cost('cost:blog', blogCny, { entry: blog.id }),
      cost('cost:lb-idle0001', 72, {
        resource: 'lb-idle0001',
        state: 'idle',
      }),
      ...(huaweiElb
        ? [
            cost('cost:huawei', 0, {
              entry: huawei.id,
              provider: 'huawei',
              unpriced: ['huawei loadBalancer (elb-0001)'],
            }),
          ]
        : []),
    ],
    recommendations: [],
  };
}

/** `YYYY-MM-DD` of `days` days before `now` (UTC), at noon. */
function daysAgo(now: Date, days: number) {
  const date = new Date(now);
  date.setUTCDate(date.getUTCDate() - days);
  date.setUTCHours(12, 0, 0, 0);
  return date;
}

describe.each(databases.eachSupportedId())(
  'CostHistoryStore on %p',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      // The table comes with the snapshot store's migrations, as in the plugin.
      await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store: CostHistoryStore.create({ db: knex }) };
    }

    const now = new Date('2026-12-12T09:30:00Z');

    it('records a day per cluster and provider, unpriced apart from 0, idle resources only in the account view', async () => {
      const { store } = await createStore();
      await store.record(
        costDayOf(model(daysAgo(now, 0).toISOString(), { huaweiElb: true })),
      );

      const account = await store.history({
        days: 90,
        accountInventory: true,
        now,
      });
      expect(account).toEqual({
        unit: 'CNY/month',
        from: '2026-09-14',
        to: '2026-12-12',
        days: [
          {
            date: '2026-12-12',
            total: { amount: 216, unpriced: true },
            byCluster: {
              'huawei-cce': { amount: 0, unpriced: true },
              'tke-blog': { amount: 144, unpriced: false },
              unattached: { amount: 72, unpriced: false },
            },
            byProvider: {
              huawei: { amount: 0, unpriced: true },
              tencent: { amount: 216, unpriced: false },
            },
          },
        ],
      });

      const exposures = await store.history({
        days: 90,
        accountInventory: false,
        now,
      });
      expect(exposures.days[0].total).toEqual({ amount: 144, unpriced: true });
      expect(Object.keys(exposures.days[0].byCluster)).toEqual([
        'huawei-cce',
        'tke-blog',
      ]);
    });

    it('keeps the last model of a day, and a cluster gone since then is gone from that day', async () => {
      const { store } = await createStore();
      const today = daysAgo(now, 0);
      await store.record(
        costDayOf(model(today.toISOString(), { huaweiElb: true })),
      );
      await store.record(
        costDayOf(
          model(new Date(today.getTime() + 60_000).toISOString(), {
            blogCny: 100,
          }),
        ),
      );

      const { days } = await store.history({
        days: 1,
        accountInventory: true,
        now,
      });
      expect(days).toHaveLength(1);
      expect(days[0].total).toEqual({ amount: 172, unpriced: false });
      expect(days[0].byCluster).not.toHaveProperty('huawei-cce');
    });

    it('keeps 90 days of history and answers the days asked for, oldest first, a day without a model missing', async () => {
      const { knex, store } = await createStore();
      // 100 days recorded, as 100 days of refreshes would, but for one day the backend was down.
      for (let ago = 99; ago >= 0; ago--) {
        if (ago === 10) continue;
        await store.record(
          costDayOf(
            model(daysAgo(now, ago).toISOString(), { blogCny: 200 - ago }),
          ),
        );
      }

      const all = await store.history({
        days: 90,
        accountInventory: true,
        now,
      });
      expect(all.days).toHaveLength(89);
      expect(all.days[0]).toMatchObject({
        date: '2026-09-14',
        total: { amount: 111 + 72, unpriced: false },
      });
      expect(all.days.at(-1)).toMatchObject({
        date: '2026-12-12',
        total: { amount: 200 + 72, unpriced: false },
      });
      expect(all.days.map(d => d.date)).not.toContain('2026-12-02');

      // Older days are deleted, not only left out of the answer.
      const [{ oldest }] = await knex('cost_history').min({ oldest: 'day' });
      expect(oldest).toBe('2026-09-14');

      const week = await store.history({
        days: 7,
        accountInventory: true,
        now,
      });
      expect(week.from).toBe('2026-12-06');
      expect(week.days.map(d => d.date)).toEqual([
        '2026-12-06',
        '2026-12-07',
        '2026-12-08',
        '2026-12-09',
        '2026-12-10',
        '2026-12-11',
        '2026-12-12',
      ]);
    });
  },
);
