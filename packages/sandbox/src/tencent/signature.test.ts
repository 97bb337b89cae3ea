import Sign from 'tencentcloud-sdk-nodejs/tencentcloud/common/sign';
import { verifyTc3Signature } from './signature';

const credential = { secretId: 'AKIDTEST', secretKey: 'test-secret-key' };
const timestamp = 1_700_000_000;

/** A request signed by the SDK's own signing code, as it would send it. */
function signedRequest(payload: object) {
  const body = JSON.stringify(payload);
  const authorization = Sign.sign3({
    method: 'POST',
    url: 'http://vpc.example.test:6480/',
    payload,
    timestamp,
    service: 'vpc',
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    multipart: false,
    boundary: undefined,
    headers: { 'Content-Type': 'application/json' },
  } as any);
  return {
    method: 'POST',
    url: '/',
    body: Buffer.from(body),
    headers: {
      authorization,
      'content-type': 'application/json',
      host: 'vpc.example.test:6480',
      'x-tc-timestamp': String(timestamp),
    },
    credentials: [credential],
    nowSeconds: timestamp + 10,
  };
}

describe('verifyTc3Signature', () => {
  it('accepts what the SDK signed and returns the SecretId', () => {
    expect(verifyTc3Signature(signedRequest({ Limit: 10 }))).toBe('AKIDTEST');
  });

  it('refuses a body changed after signing', () => {
    const request = signedRequest({ Limit: 10 });
    expect(() =>
      verifyTc3Signature({ ...request, body: Buffer.from('{"Limit":100}') }),
    ).toThrow(
      expect.objectContaining({ code: 'AuthFailure.SignatureFailure' }),
    );
  });

  it('refuses a request sent to another host than the one signed', () => {
    const request = signedRequest({});
    expect(() =>
      verifyTc3Signature({
        ...request,
        headers: { ...request.headers, host: 'clb.example.test:6480' },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'AuthFailure.SignatureFailure' }),
    );
  });

  it('refuses a timestamp more than five minutes away', () => {
    expect(() =>
      verifyTc3Signature({ ...signedRequest({}), nowSeconds: timestamp + 301 }),
    ).toThrow(expect.objectContaining({ code: 'AuthFailure.SignatureExpire' }));
  });
});
