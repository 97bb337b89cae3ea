import { createBackend } from '@backstage/backend-defaults';
import v8 from 'node:v8';
import { cachingAuthServiceFactory } from './verifiedTokenCache';

// With many requests in flight, V8 sees their objects survive a young-generation collection
// and starts allocating them in the old generation ("pretenuring"), where they die en masse
// and are collected with long pauses: about 1 GiB every 10 s at 8,000 requests a second,
// pauses of up to 0.4 s and 0.8 GiB more memory (README, "Benchmark"). Set before anything
// is allocated in earnest.
v8.setFlagsFromString('--no-allocation-site-pretenuring');

const backend = createBackend();

// Verifies each user token's signature once, not on every request (see verifiedTokenCache.ts).
backend.add(cachingAuthServiceFactory());

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
// opens the pull request of the istiod migration template
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import('@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas'),
);

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(
  import('@ingress-atlas/plugin-catalog-backend-module-ingress-atlas'),
);

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@ingress-atlas/plugin-search-backend-module-ingress-atlas'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// ingress atlas
backend.add(import('@ingress-atlas/plugin-ingress-atlas-backend'));
backend.add(import('@ingress-atlas/plugin-ingress-atlas-backend-module-tencent'));

backend.start();
