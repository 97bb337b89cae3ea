import type { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterConnection,
  skipsTlsVerify,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/**
 * A client-node KubeConfig for a live cluster connection (never logged or stored). The client
 * is loaded on the first call: a worker thread that only applies watched changes does without
 * it (0.5 s less to start). It is a package, so `require` finds it from the sources and from
 * the built plugin alike (a relative `require` would not: built modules end in `.cjs.js`).
 */
export async function kubeConfigFor(
  connection: ClusterConnection,
): Promise<KubeConfig> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client: typeof import('@kubernetes/client-node') = require('@kubernetes/client-node');
  const kc = new client.KubeConfig();
  const { name, url } = connection.descriptor;
  if (connection.kubeconfig || connection.kubeconfigPath) {
    try {
      if (connection.kubeconfig) kc.loadFromString(connection.kubeconfig);
      else kc.loadFromFile(connection.kubeconfigPath!);
    } catch (error) {
      throw new Error(
        `The kubeconfig of cluster ${name} could not be read: ${reasonOf(
          error,
        )}`,
      );
    }
  } else if (url) {
    kc.loadFromOptions({
      clusters: [
        {
          name,
          server: url,
          caData: connection.auth?.caData,
          skipTLSVerify: skipsTlsVerify(url, connection.auth),
        },
      ],
      users: [{ name, token: connection.auth?.token }],
      contexts: [{ name, cluster: name, user: name }],
      currentContext: name,
    });
  } else {
    throw new Error(`Cluster ${name} has no API server URL or kubeconfig`);
  }
  return kc;
}

// YAML parse errors quote the lines around the fault, which may hold a token or key.
function reasonOf(error: unknown): string {
  const { reason, mark, code, message } = error as {
    reason?: string;
    mark?: { line: number };
    code?: string;
    message?: string;
  };
  if (reason) return mark ? `${reason} (line ${mark.line + 1})` : reason;
  // File system errors name only the path.
  return code && message ? message : 'not a valid kubeconfig';
}
