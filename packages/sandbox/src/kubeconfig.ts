import YAML from 'yaml';

/**
 * A kubeconfig (as YAML) with one context per sandbox cluster, named after the cluster;
 * the first cluster is the current context. The servers speak plain HTTP, which
 * @kubernetes/client-node only accepts with `insecure-skip-tls-verify` set.
 */
export function sandboxKubeconfig(
  clusters: Record<string, { url: string; token: string }>,
): string {
  const names = Object.keys(clusters);
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: names.map(name => ({
      name,
      cluster: { server: clusters[name].url, 'insecure-skip-tls-verify': true },
    })),
    users: names.map(name => ({ name, user: { token: clusters[name].token } })),
    contexts: names.map(name => ({
      name,
      context: { cluster: name, user: name },
    })),
    'current-context': names[0] ?? '',
    preferences: {},
  });
}
