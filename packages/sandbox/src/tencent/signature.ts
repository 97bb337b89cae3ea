import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { TencentApiError } from './errors';

/** The real API accepts a request for five minutes after its X-TC-Timestamp. */
const MAX_CLOCK_SKEW_SECONDS = 300;

export interface TencentCredential {
  secretId: string;
  secretKey: string;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(',') : value ?? '';
  if (name === 'host') {
    // The SDK signs the URL's hostname while sending `Host: hostname:port`.
    return text.replace(/:\d+$/, '').toLowerCase();
  }
  return text.trim().toLowerCase();
}

/**
 * Checks a TC3-HMAC-SHA256 Authorization header the way the API gateway does, and returns
 * the SecretId it was signed with. The credential scope's service is taken as sent: the SDK
 * derives it from the endpoint's first label, which for a local endpoint is not a product.
 */
export function verifyTc3Signature(input: {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  credentials: TencentCredential[];
  nowSeconds?: number;
}): string {
  const authorization = String(input.headers.authorization ?? '');
  const match =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) {
    throw new TencentApiError(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is not a TC3-HMAC-SHA256 signature.',
    );
  }
  const [, secretId, date, service, signedHeaders, signature] = match;

  const credential = input.credentials.find(c => c.secretId === secretId);
  if (!credential) {
    throw new TencentApiError(
      'AuthFailure.SecretIdNotFound',
      'The SecretId is not found, please ensure that your SecretId is correct.',
    );
  }

  const timestamp = Number(input.headers['x-tc-timestamp']);
  const nowSeconds = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (
    !Number.isInteger(timestamp) ||
    Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS
  ) {
    throw new TencentApiError(
      'AuthFailure.SignatureExpire',
      'Signature expired. Timestamp and server time are too far apart.',
    );
  }

  const signedHeaderNames = signedHeaders.split(';');
  if (
    !signedHeaderNames.includes('content-type') ||
    !signedHeaderNames.includes('host') ||
    date !== utcDate(timestamp)
  ) {
    throw new TencentApiError(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated.',
    );
  }

  const url = new URL(input.url, 'http://stand-in');
  const canonicalRequest = [
    input.method,
    url.pathname,
    url.search.slice(1),
    signedHeaderNames
      .map(name => `${name}:${headerValue(input.headers, name)}\n`)
      .join(''),
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(timestamp),
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(
    hmac(hmac(`TC3${credential.secretKey}`, date), service),
    'tc3_request',
  );
  const expected = createHmac('sha256', signingKey)
    .update(stringToSign)
    .digest();

  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw new TencentApiError(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated.',
    );
  }
  return secretId;
}
