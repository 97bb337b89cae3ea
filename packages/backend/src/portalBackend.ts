import type { BackendFeature } from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import v8 from 'node:v8';
import { cachingHttpAuthServiceFactory } from './verifiedTokenCache';

/**
 * Starts the portal's backend with `features` (see `portalFeatures`), the app's static files
 * and the token cache.
 */
export function startPortalBackend(features: BackendFeature[]) {
  // With many requests in flight, V8 sees their objects survive a young-generation collection
  // and starts allocating them in the old generation ("pretenuring"), where they die en masse
  // and are collected with long pauses: about 1 GiB every 10 s at 8,000 requests a second,
  // pauses of up to 0.4 s and 0.8 GiB more memory (README, "Benchmark"). Set before anything
  // is allocated in earnest.
  v8.setFlagsFromString('--no-allocation-site-pretenuring');

  const backend = createBackend();

  // Verifies each user token's signature once, not on every request (see verifiedTokenCache.ts).
  backend.add(cachingHttpAuthServiceFactory());

  backend.add(import('@backstage/plugin-app-backend'));
  for (const feature of features) {
    backend.add(feature);
  }

  backend.start();
}
