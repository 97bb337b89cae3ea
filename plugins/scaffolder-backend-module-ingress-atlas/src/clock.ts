import { sleep } from './kube';

/**
 * Time as the actions wait on it: for DNS caches to expire, for the cloud to settle. Tests pass
 * a clock they control, so a wait of a record's 600 s TTL takes no time.
 *
 * @public
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};
