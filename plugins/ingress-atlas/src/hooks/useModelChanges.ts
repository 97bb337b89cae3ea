import { useEffect, useState } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { IngressAtlasApi, ingressAtlasApiRef } from '../api';

const DEFAULT_SECONDS = 30;

/**
 * Asks the backend now and then for the model's revision (`GET /clusters`, answered 304 while
 * it is unchanged) and tells its listeners when a newer model is there. One per client, shared
 * by every component of a page; it asks only while something listens and the page is visible.
 */
class ModelWatcher {
  readonly #listeners = new Set<() => void>();
  #generatedAt?: string;
  #changes = 0;
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly api: IngressAtlasApi,
    private readonly intervalMs: number,
  ) {}

  get changes(): number {
    return this.#changes;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#timer) {
      // The model the page loads with is the first one known: only later ones are changes.
      this.#poll();
      this.#timer = setInterval(() => this.#poll(), this.intervalMs);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
        // The next page loads what is current: that is its baseline, not a change.
        this.#generatedAt = undefined;
      }
    };
  }

  async #poll() {
    // A hidden page waits, but still learns the model it opened with.
    if (document.visibilityState === 'hidden' && this.#generatedAt) return;
    try {
      const { generatedAt } = await this.api.getClusters();
      if (!generatedAt || generatedAt === this.#generatedAt) return;
      const first = this.#generatedAt === undefined;
      this.#generatedAt = generatedAt;
      if (!first) {
        this.#changes += 1;
        this.#listeners.forEach(listener => listener());
      }
    } catch {
      // The page keeps what it shows; the next poll asks again.
    }
  }
}

const watchers = new WeakMap<IngressAtlasApi, ModelWatcher>();

/**
 * How many newer models the atlas has published since the page opened: a dependency that
 * makes a loader run again when the atlas changes (`ingressAtlas.followChangesSeconds`).
 */
export function useModelChanges(): number {
  const api = useApi(ingressAtlasApiRef);
  const seconds =
    useApi(configApiRef).getOptionalNumber(
      'ingressAtlas.followChangesSeconds',
    ) ?? DEFAULT_SECONDS;
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (seconds <= 0) return undefined;
    let watcher = watchers.get(api);
    if (!watcher) {
      watcher = new ModelWatcher(api, seconds * 1000);
      watchers.set(api, watcher);
    }
    const current = watcher;
    return current.subscribe(() => setChanges(current.changes));
  }, [api, seconds]);
  return changes;
}
