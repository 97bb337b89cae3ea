import { DEFAULT_RETRY_POLICY, withRetry as withPolicy } from '../retry';

/** The atlas's retry policy, as tries in total. */
export const DEFAULT_TENCENT_RETRY: Pick<RetryOptions, 'attempts' | 'baseDelayMs'> = {
  attempts: DEFAULT_RETRY_POLICY.retries + 1,
  baseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs,
};

/** @public */
export interface RetryOptions {
  /** Tries in total, the first included. */
  attempts: number;
  /** Delay before the first retry; doubled for each further one, with jitter. */
  baseDelayMs: number;
  /** Which failures are worth another try. Default: throttling, timeouts and server errors. */
  retryable?: (error: unknown) => boolean;
}

/**
 * What the SDK throws. Several copies of its exception class can be loaded, so errors
 * are recognised by their fields rather than with instanceof.
 */
interface SdkError {
  message: string;
  code?: string;
  httpCode?: number;
  requestId?: string;
}

function asSdkError(error: unknown): SdkError {
  return typeof error === 'object' && error !== null
    ? (error as SdkError)
    : { message: String(error) };
}

/** Throttling, server errors and failures to reach the API at all are worth another try. */
export function isRetryable(error: unknown): boolean {
  const { code, httpCode } = asSdkError(error);
  if (code) {
    return code.startsWith('RequestLimitExceeded') || code === 'InternalError';
  }
  if (httpCode) {
    return httpCode >= 500 || httpCode === 429;
  }
  return true;
}

/**
 * A short description of a failed call, safe to log and to show: codes and messages only.
 *
 * @public
 */
export function describeError(error: unknown): string {
  const { code, httpCode, message } = asSdkError(error);
  if (code) {
    return `${code}: ${message}`;
  }
  if (httpCode) {
    return `HTTP ${httpCode} ${message}`.trim();
  }
  return message;
}

/** Runs a Tencent Cloud call under the atlas's retry policy (see `../retry`). */
export async function withRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
  onRetry?: (attempt: number, error: Error, delayMs: number) => void,
): Promise<T> {
  const retryable = options.retryable ?? isRetryable;
  return withPolicy(fn, {
    policy: { retries: options.attempts - 1, baseDelayMs: options.baseDelayMs },
    judge: outcome =>
      'error' in outcome && retryable(outcome.error)
        ? { retry: true, reason: describeError(outcome.error) }
        : undefined,
    onRetry: ({ retry, reason, delayMs }) => onRetry?.(retry, new Error(reason), delayMs),
  });
}
