/** Faults one cluster's API server shows, changeable while it runs. */
export interface FaultSettings {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Fraction (0..1) of requests answered with `errorCode` instead of being served. */
  errorRate?: number;
  /** 429 (answered with Retry-After: 1), 500, 502, 503 (default) or 504. */
  errorCode?: number;
  /** Requests get no answer at all, until the client gives up. */
  hang?: boolean;
  /** Fraction (0..1) of list responses cut off halfway by closing the connection. */
  dropListRate?: number;
  /** Fraction (0..1) of list responses whose items are not Kubernetes objects (no metadata, null). */
  garbageListRate?: number;
  /** The next N list pages asked for with a continue token are answered 410 Gone, as after a compaction. */
  expireContinue?: number;
  /** List pages hand back the continue token they were asked with: a paged list never ends. */
  stuckContinue?: boolean;
  /**
   * The next N watches started from a resourceVersion get an ERROR event 410 Expired, as when
   * that version has been compacted away: the client has to list again.
   */
  expireWatch?: number;
}

export interface ClusterStats {
  /** Every HTTP request the cluster received, discovery included. */
  requests: number;
  /** Served requests per verb: list, watch, get, create, update, patch, delete, deletecollection, discovery. */
  byVerb: Record<string, number>;
  /** Requests answered by an injected fault instead of being served. */
  faulted: { errors: number; drops: number; hangs: number };
}

export function emptyStats(): ClusterStats {
  return {
    requests: 0,
    byVerb: {},
    faulted: { errors: 0, drops: 0, hangs: 0 },
  };
}

const ERROR_CODES: Record<number, [reason: string, message: string]> = {
  // As API Priority and Fairness throttles, with Retry-After: 1.
  429: ['TooManyRequests', 'Too many requests, please try again later.'],
  500: [
    'InternalError',
    'Internal error occurred: etcdserver: request timed out',
  ],
  502: ['InternalError', 'the server responded with 502 Bad Gateway'],
  503: [
    'ServiceUnavailable',
    'the server is currently unable to handle the request',
  ],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};

const isFraction = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

const FAULT_CHECKS: Record<keyof FaultSettings, (value: unknown) => boolean> = {
  latencyMs: v => typeof v === 'number' && v >= 0,
  errorRate: isFraction,
  errorCode: v => typeof v === 'number' && v in ERROR_CODES,
  hang: v => typeof v === 'boolean',
  dropListRate: isFraction,
  garbageListRate: isFraction,
  expireContinue: v => Number.isInteger(v) && (v as number) >= 0,
  stuckContinue: v => typeof v === 'boolean',
  expireWatch: v => Number.isInteger(v) && (v as number) >= 0,
};

export class ClusterFaults {
  #settings: FaultSettings = {};

  /** Merges `settings` into the current ones; a null value removes that fault. */
  set(settings: {
    [K in keyof FaultSettings]?: FaultSettings[K] | null;
  }): FaultSettings {
    const next: Record<string, unknown> = { ...this.#settings };
    for (const [key, value] of Object.entries(settings)) {
      if (!(key in FAULT_CHECKS)) {
        throw new Error(
          `Unknown fault "${key}"; known: ${Object.keys(FAULT_CHECKS).join(
            ', ',
          )}`,
        );
      }
      if (value === null || value === undefined) {
        delete next[key];
      } else if (!FAULT_CHECKS[key as keyof FaultSettings](value)) {
        throw new Error(
          `Invalid value for fault "${key}": ${JSON.stringify(value)}`,
        );
      } else {
        next[key] = value;
      }
    }
    this.#settings = next as FaultSettings;
    return this.get();
  }

  get(): FaultSettings {
    return { ...this.#settings };
  }

  clear(): void {
    this.#settings = {};
  }

  /** The error to answer with, when this request is one of the injected failures. */
  pickError(): { code: number; reason: string; message: string } | undefined {
    const { errorRate = 0, errorCode = 503 } = this.#settings;
    if (errorRate <= 0 || Math.random() >= errorRate) {
      return undefined;
    }
    const [reason, message] = ERROR_CODES[errorCode];
    return { code: errorCode, reason, message };
  }

  /** Whether this page's continue token is to be answered as expired; counts the fault down. */
  takeExpiredContinue(): boolean {
    return this.#take('expireContinue');
  }

  /** Whether this watch's resourceVersion is to be answered as expired; counts the fault down. */
  takeExpiredWatch(): boolean {
    return this.#take('expireWatch');
  }

  #take(fault: 'expireContinue' | 'expireWatch'): boolean {
    const left = this.#settings[fault] ?? 0;
    if (left <= 0) return false;
    this.#settings = { ...this.#settings, [fault]: left - 1 };
    return true;
  }

  shouldGarbleList(): boolean {
    const { garbageListRate = 0 } = this.#settings;
    return garbageListRate > 0 && Math.random() < garbageListRate;
  }

  shouldDropList(): boolean {
    const { dropListRate = 0 } = this.#settings;
    return dropListRate > 0 && Math.random() < dropListRate;
  }
}
