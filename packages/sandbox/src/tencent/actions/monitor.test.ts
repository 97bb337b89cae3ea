import { resolve as resolvePath } from 'node:path';
import { monitor } from 'tencentcloud-sdk-nodejs/tencentcloud/services/monitor';
import { startTencentCloudServer, TencentCloudServer } from '../index';

const SEED = resolvePath(
  __dirname,
  '../../../../../examples/sandbox/cloud/tencent.yaml',
);
const credential = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

describe('Cloud Monitor stand-in (GetMonitorData)', () => {
  let server: TencentCloudServer;
  let client: InstanceType<typeof monitor.v20180724.Client>;

  beforeAll(async () => {
    server = await startTencentCloudServer({
      seedFile: SEED,
      credentials: [credential],
    });
    client = clientIn('ap-guangzhou');
  });

  const clientIn = (region: string) =>
    new monitor.v20180724.Client({
      credential,
      region,
      profile: {
        httpProfile: {
          endpoint: server.url.replace('http://', ''),
          protocol: 'http://',
          reqTimeout: 5,
        },
      },
    });

  afterAll(() => server.stop());

  it("answers a signed request with the seeded CLB's outbound bandwidth, point by point", async () => {
    const response = await clientIn('ap-shanghai').GetMonitorData({
      Namespace: 'QCE/LB_PUBLIC',
      MetricName: 'ClientOuttraffic',
      Period: 300,
      StartTime: '2026-11-20T00:00:00+00:00',
      EndTime: '2026-11-21T00:00:00+00:00',
      Instances: [
        // lb-saas0001.
        { Dimensions: [{ Name: 'vip', Value: '198.51.100.121' }] },
        // lb-saasew01: internal, no public traffic in the seed.
        { Dimensions: [{ Name: 'vip', Value: '10.20.0.50' }] },
      ],
    });
    expect(response).toMatchObject({
      Period: 300,
      MetricName: 'ClientOuttraffic',
      StartTime: '2026-11-20T00:00:00+00:00',
      EndTime: '2026-11-21T00:00:00+00:00',
    });
    expect(response.RequestId).toBeTruthy();
    const [saas, idle] = response.DataPoints!;
    expect(saas.Dimensions).toEqual([{ Name: 'vip', Value: '198.51.100.121' }]);
    // A day of 5-minute points: 288, the first at the start.
    expect(saas.Timestamps).toHaveLength(288);
    expect(saas.Timestamps![0]).toBe(Date.parse('2026-11-20T00:00:00Z') / 1000);
    // Seed: lb-saas0001 sends 4 GB a day = 4e9 x 8 bits / 86,400 s = 0.3704 Mbps.
    expect(saas.Values![0]).toBeCloseTo(0.3704, 4);
    expect(idle).toEqual({
      Dimensions: [{ Name: 'vip', Value: '10.20.0.50' }],
      Timestamps: [],
      Values: [],
    });
  });

  it("answers an EIP's bandwidth by its address", async () => {
    const response = await client.GetMonitorData({
      Namespace: 'QCE/LB',
      MetricName: 'VipOuttraffic',
      Period: 3600,
      StartTime: '2026-11-20T00:00:00+00:00',
      EndTime: '2026-11-20T06:00:00+00:00',
      Instances: [{ Dimensions: [{ Name: 'eip', Value: '203.0.113.21' }] }],
    });
    // Seed: eip-edge0001 sends 1.5 GB a day = 1.5e9 x 8 / 86,400 = 0.1389 Mbps, 6 hourly points.
    expect(response.DataPoints![0].Values).toHaveLength(6);
    expect(response.DataPoints![0].Values![0]).toBeCloseTo(0.1389, 4);
  });

  it('refuses an unknown namespace or metric with the API error codes', async () => {
    const ask = (Namespace: string, MetricName: string) =>
      client.GetMonitorData({
        Namespace,
        MetricName,
        Instances: [{ Dimensions: [{ Name: 'vip', Value: '198.51.100.11' }] }],
      });
    await expect(ask('QCE/NOPE', 'ClientOuttraffic')).rejects.toMatchObject({
      code: 'FailedOperation.DataTableNotFound',
    });
    await expect(ask('QCE/LB_PUBLIC', 'Outtraffic')).rejects.toMatchObject({
      code: 'FailedOperation.DataColumnNotFound',
    });
  });

  it('refuses more points than one request may ask for', async () => {
    // 3 days of 60-second points for 2 instances: 2 x 4,320 = 8,640 > 7,200.
    await expect(
      client.GetMonitorData({
        Namespace: 'QCE/LB',
        MetricName: 'VipOuttraffic',
        Period: 60,
        StartTime: '2026-11-18T00:00:00+00:00',
        EndTime: '2026-11-21T00:00:00+00:00',
        Instances: [
          { Dimensions: [{ Name: 'eip', Value: '203.0.113.21' }] },
          { Dimensions: [{ Name: 'eip', Value: '203.0.113.22' }] },
        ],
      }),
    ).rejects.toMatchObject({ code: 'LimitExceeded' });
  });
});
