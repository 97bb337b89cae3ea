/** Which calls a fault applies to; an absent field matches any value. */
export interface FaultMatch {
  action?: string;
  region?: string;
}

type Fault =
  | { kind: 'throttle'; match: FaultMatch; remaining: number }
  | { kind: 'http-error'; match: FaultMatch; remaining: number; status: number }
  | { kind: 'latency'; match: FaultMatch; ms: number };

export type FaultOutcome =
  | { kind: 'none' }
  | { kind: 'throttle' }
  | { kind: 'http-error'; status: number };

/**
 * Failures the stand-in injects so tests can see how clients cope with the real API's
 * rate limits, outages and slowness. It also counts the requests each action received.
 */
export class TencentFaults {
  #faults: Fault[] = [];
  readonly #counts = new Map<string, number>();

  /** The next `times` matching calls answer `RequestLimitExceeded`. */
  throttle(match: FaultMatch, times: number): void {
    this.#faults.push({ kind: 'throttle', match, remaining: times });
  }

  /** The next `times` matching calls answer with an HTTP error status (503 by default). */
  failHttp(match: FaultMatch, times: number, status = 503): void {
    this.#faults.push({ kind: 'http-error', match, remaining: times, status });
  }

  /** Every matching call waits `ms` before it is answered, until cleared. */
  delay(match: FaultMatch, ms: number): void {
    this.#faults.push({ kind: 'latency', match, ms });
  }

  clear(): void {
    this.#faults = [];
  }

  /** How many requests an action received (all actions when omitted), including refused ones. */
  requestCount(action?: string): number {
    if (action) {
      return this.#counts.get(action) ?? 0;
    }
    return Array.from(this.#counts.values()).reduce((sum, n) => sum + n, 0);
  }

  resetCounts(): void {
    this.#counts.clear();
  }

  /** Counts the call and tells what happens to it. */
  async apply(call: {
    action: string;
    region?: string;
  }): Promise<FaultOutcome> {
    this.#counts.set(call.action, (this.#counts.get(call.action) ?? 0) + 1);

    const matching = this.#faults.filter(
      f =>
        (!f.match.action || f.match.action === call.action) &&
        (!f.match.region || f.match.region === call.region),
    );
    const waitMs = matching.reduce(
      (ms, f) => (f.kind === 'latency' ? ms + f.ms : ms),
      0,
    );
    if (waitMs > 0) {
      await new Promise(resolve => setTimeout(resolve, waitMs));
    }

    const failure = matching.find(f => f.kind !== 'latency' && f.remaining > 0);
    if (!failure || failure.kind === 'latency') {
      return { kind: 'none' };
    }
    failure.remaining -= 1;
    this.#faults = this.#faults.filter(
      f => f.kind === 'latency' || f.remaining > 0,
    );
    return failure.kind === 'throttle'
      ? { kind: 'throttle' }
      : { kind: 'http-error', status: failure.status };
  }
}
