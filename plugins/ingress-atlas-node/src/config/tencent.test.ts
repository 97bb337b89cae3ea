import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readTencentAccounts } from './tencent';

function read(tencent: JsonValue) {
  return readTencentAccounts(
    new ConfigReader({ ingressAtlas: { providers: { tencent } } }),
  );
}

describe('readTencentAccounts', () => {
  it('reads accounts with defaults', () => {
    expect(
      read([
        { name: 'prod', regions: ['ap-guangzhou'] },
        {
          name: 'sandbox',
          regions: ['ap-shanghai'],
          endpoint: 'http://127.0.0.1:6480',
          kubeconfigAccess: 'none',
          credentials: { secretId: 'AKID1', secretKey: 'key1' },
        },
      ]),
    ).toEqual([
      {
        name: 'prod',
        regions: ['ap-guangzhou'],
        kubeconfigAccess: 'intranet',
        credentials: undefined,
        endpoint: undefined,
      },
      {
        name: 'sandbox',
        regions: ['ap-shanghai'],
        endpoint: 'http://127.0.0.1:6480',
        kubeconfigAccess: 'none',
        credentials: { secretId: 'AKID1', secretKey: 'key1', token: undefined },
      },
    ]);
    expect(readTencentAccounts(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [[{ regions: ['ap-guangzhou'] }], 'ingressAtlas.providers.tencent[0].name'],
    [[{ name: 'a', regions: [] }], 'ingressAtlas.providers.tencent[0].regions'],
    [
      [{ name: 'a', regions: ['ap-guangzhou', 'Guangzhou'] }],
      'ingressAtlas.providers.tencent[0].regions[1]',
    ],
    [
      [{ name: 'a', regions: ['ap-guangzhou'], kubeconfigAccess: 'public' }],
      'ingressAtlas.providers.tencent[0].kubeconfigAccess',
    ],
    [
      [{ name: 'a', regions: ['ap-guangzhou'], endpoint: '127.0.0.1:6480' }],
      'ingressAtlas.providers.tencent[0].endpoint',
    ],
    [
      [
        {
          name: 'a',
          regions: ['ap-guangzhou'],
          endpoint: 'https://example.com/api',
        },
      ],
      'ingressAtlas.providers.tencent[0].endpoint',
    ],
    [
      [
        {
          name: 'a',
          regions: ['ap-guangzhou'],
          credentials: { secretId: 'AKID' },
        },
      ],
      'ingressAtlas.providers.tencent[0].credentials.secretKey',
    ],
    [
      [
        { name: 'a', regions: ['ap-guangzhou'] },
        { name: 'a', regions: ['ap-shanghai'] },
      ],
      'ingressAtlas.providers.tencent[1].name',
    ],
  ])('names the bad key in %j', (tencent, key) => {
    expect(() => read(tencent)).toThrow(key);
  });

  it('never puts a secret key into its error messages', () => {
    expect(() =>
      read([
        {
          name: 'a',
          regions: ['nowhere'],
          credentials: { secretId: 'AKID', secretKey: 'TOPSECRET' },
        },
      ]),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('TOPSECRET'),
      }),
    );
  });
});
