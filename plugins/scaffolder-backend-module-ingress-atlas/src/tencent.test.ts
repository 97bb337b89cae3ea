import type { TencentAccount } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  SANDBOX_CREDENTIALS,
  TestWorld,
  startWorld,
} from './__testUtils__/sandbox';
import { TencentCloud } from './tencent';

describe('TencentCloud', () => {
  let world: TestWorld;
  const env = { ...process.env };

  beforeAll(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterAll(() => world.stop());

  afterEach(() => {
    process.env = { ...env };
    world.sandbox.cloud!.faults.clear();
    world.sandbox.cloud!.faults.resetCounts();
  });

  const account = (
    overrides: Partial<TencentAccount> = {},
  ): TencentAccount => ({
    name: 'sandbox',
    regions: ['ap-guangzhou'],
    endpoint: world.sandbox.cloud!.url,
    kubeconfigAccess: 'none',
    credentials: SANDBOX_CREDENTIALS,
    ...overrides,
  });

  it('signs with the default credential chain when the account has no credentials', async () => {
    // The sandbox checks signatures: the call passes only if the key was found in the environment.
    const cloud = new TencentCloud(account({ credentials: undefined }));
    process.env.TENCENTCLOUD_SECRET_ID = SANDBOX_CREDENTIALS.secretId;
    process.env.TENCENTCLOUD_SECRET_KEY = SANDBOX_CREDENTIALS.secretKey;
    const { AddressSet = [] } = await cloud
      .vpc('ap-guangzhou')
      .DescribeAddresses({});
    expect(AddressSet.length).toBeGreaterThan(0);
  });

  it('retries a read that failed on the way, and a change only when throttled', async () => {
    const { faults } = world.sandbox.cloud!;
    const vpc = new TencentCloud(account()).vpc('ap-guangzhou');

    faults.failHttp({ action: 'DescribeAddresses' }, 1, 503);
    await expect(vpc.DescribeAddresses({})).resolves.toBeDefined();
    expect(faults.requestCount('DescribeAddresses')).toBe(2);

    // After a 503 the change may have been made: it is not sent again.
    faults.failHttp({ action: 'AllocateAddresses' }, 1, 503);
    await expect(vpc.AllocateAddresses({ AddressCount: 1 })).rejects.toThrow();
    expect(faults.requestCount('AllocateAddresses')).toBe(1);

    // Throttled, it was refused unread: sent again.
    faults.throttle({ action: 'AllocateAddresses' }, 1);
    const { AddressSet = [] } = await vpc.AllocateAddresses({
      AddressCount: 1,
    });
    expect(AddressSet).toHaveLength(1);
    expect(faults.requestCount('AllocateAddresses')).toBe(3);
  });
});
