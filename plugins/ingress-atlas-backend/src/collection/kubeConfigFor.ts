import { KubeConfig } from '@kubernetes/client-node';
import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';

/** A client-node KubeConfig for a live cluster connection (never logged or stored). */
export async function kubeConfigFor(connection: ClusterConnection): Promise<KubeConfig> {
  const kc = new KubeConfig();
  const { name, url } = connection.descriptor;
  if (connection.kubeconfig) {
    kc.loadFromString(connection.kubeconfig);
  } else if (connection.kubeconfigPath) {
    kc.loadFromFile(connection.kubeconfigPath);
  } else if (url) {
    kc.loadFromOptions({
      clusters: [
        {
          name,
          server: url,
          caData: connection.auth?.caData,
          // client-node refuses plain http unless told TLS checks are off; such URLs were
          // already limited to loopback (or explicitly allowed) by validateClusterUrl.
          skipTLSVerify:
            connection.auth?.skipTLSVerify ?? url.startsWith('http:'),
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
