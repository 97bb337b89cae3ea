/**
 * How the atlas retries a read that failed for a passing reason (throttling, a server error, a
 * dropped connection): the one policy for Kubernetes API servers and cloud APIs alike.
 *
 * @public
 */
export interface RetryPolicy {
  /** Tries after the first one. */
  retries: number;
  /** Delay before the first retry; doubled for each further one, with jitter. */
  baseDelayMs: number;
}

/** @public */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 200,
};

/**
 * HTTP answers worth another try: throttling and the server errors a restart or overload gives.
 *
 * @public
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 504);
}

/** Connection failures worth another try (the request may never have been served). */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** @public */
export function isRetryableConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return (
    (code !== undefined && RETRYABLE_CODES.has(code)) ||
    // node-fetch reports a body cut short this way.
    /premature close/i.test(message ?? '')
  );
}

/**
 * A `Retry-After` header (seconds or an HTTP date) in milliseconds from `now`.
 *
 * @public
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry `retry` (1 for the first): exponential, jittered, never under Retry-After.
 *
 * @public
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number {
  // Jitter spreads the retries of many callers failed by one hiccup.
  const backoff = policy.baseDelayMs * 2 ** (retry - 1) * (0.5 + Math.random());
  return Math.round(Math.max(backoff, retryAfterMs ?? 0));
}

/**
 * Why a try failed and whether another one may help.
 *
 * @public
 */
export interface RetryVerdict {
  retry: boolean;
  /** What the server asked for (Retry-After). */
  retryAfterMs?: number;
  /** What to log: a status or error code and a message, never credentials or bodies. */
  reason: string;
}

/** @public */
export interface RetryEvent {
  /** 1 for the first retry. */
  retry: number;
  reason: string;
  delayMs: number;
}

/**
 * Runs `attempt` until it succeeds, the policy's retries are spent, a failure is not worth
 * another try, or the next try could not start before `deadline` (then the last failure is
 * thrown). `attempt` returns its outcome, retryable or not, for `judge` to decide on; a thrown
 * error is judged too.
 *
 * @public
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: {
    judge: (outcome: {
      value?: T;
      error?: unknown;
    }) => RetryVerdict | undefined;
    policy?: RetryPolicy;
    /** Epoch ms after which no retry starts. */
    deadline?: number;
    signal?: AbortSignal;
    onRetry?: (event: RetryEvent) => void;
  },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let retry = 1; ; retry++) {
    let outcome: { value?: T; error?: unknown };
    try {
      outcome = { value: await attempt() };
    } catch (error) {
      outcome = { error };
    }
    const verdict =
      options.signal?.aborted || retry > policy.retries
        ? undefined
        : options.judge(outcome);
    const delayMs = verdict?.retry
      ? retryDelayMs(retry, verdict.retryAfterMs, policy)
      : undefined;
    if (
      delayMs === undefined ||
      (options.deadline !== undefined &&
        Date.now() + delayMs >= options.deadline)
    ) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value as T;
    }
    options.onRetry?.({ retry, reason: verdict!.reason, delayMs });
    await sleep(delayMs, options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
