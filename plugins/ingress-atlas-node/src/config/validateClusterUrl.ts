import { InputError } from '@backstage/errors';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Checks an API server URL before any credential is sent to it: http(s) only, no user
 * info, query or fragment, and plain http only on loopback unless explicitly allowed.
 * `allowedHosts`, when given, is the complete list of acceptable hosts (for URLs that
 * come from catalog data rather than from the operator's config).
 *
 * @public
 */
export function validateClusterUrl(
  raw: string,
  options: {
    allowInsecureHttp: boolean;
    allowedHosts?: string[];
    what: string;
  },
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${options.what}: "${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      `${options.what}: protocol ${url.protocol} is not allowed; use https`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      `${options.what}: credentials in the URL are not allowed`,
    );
  }
  if (url.search || url.hash) {
    throw new InputError(
      `${options.what}: query strings and fragments are not allowed`,
    );
  }
  const host = url.hostname.toLowerCase();
  if (
    url.protocol === 'http:' &&
    !LOOPBACK.has(host) &&
    !options.allowInsecureHttp
  ) {
    throw new InputError(
      `${options.what}: plain http to ${host} is not allowed; use https or set ingressAtlas.allowInsecureHttp`,
    );
  }
  if (options.allowedHosts && !options.allowedHosts.includes(host)) {
    throw new InputError(
      `${options.what}: host ${host} is not in ingressAtlas.catalogClusters.allowedHosts`,
    );
  }
  return url;
}
