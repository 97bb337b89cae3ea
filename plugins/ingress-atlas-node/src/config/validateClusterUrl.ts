import { InputError } from '@backstage/errors';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Checks an API server URL before any credential is sent to it: http(s) only, no user
 * info, query or fragment, and plain http only on loopback unless explicitly allowed.
 * `allowedHosts`, when given, is the complete list of acceptable API servers (for URLs that
 * come from catalog data rather than from the operator's config): each entry a host, with an
 * optional port and path (`k8s.example.com`, `k8s.example.com:6443`,
 * `rancher.example.com/k8s/clusters`). Hosts compare case-insensitively; a URL must use the
 * entry's port (the scheme's default port when the entry has none) and lie under its path
 * (no path when the entry has none), so that a catalog entry cannot send the token to another
 * port or service of an allowed host.
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
  if (
    options.allowedHosts &&
    !options.allowedHosts.some(entry => isAllowedBy(url, entry))
  ) {
    throw new InputError(
      `${options.what}: ${url.host}${url.pathname.replace(/\/$/, '')} is not in ingressAtlas.catalogClusters.allowedHosts`,
    );
  }
  return url;
}

function isAllowedBy(url: URL, entry: string): boolean {
  let allowed: URL;
  try {
    allowed = new URL(`${url.protocol}//${entry.trim()}`);
  } catch {
    return false;
  }
  const path = allowed.pathname.replace(/\/+$/, '');
  const urlPath = url.pathname.replace(/\/+$/, '');
  return (
    allowed.hostname.toLowerCase() === url.hostname.toLowerCase() &&
    allowed.port === url.port &&
    (urlPath === path || urlPath.startsWith(`${path}/`)) &&
    // An entry without a path allows the API server at the root only.
    (path !== '' || urlPath === '')
  );
}
