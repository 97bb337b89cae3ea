import http from 'node:http';
import https from 'node:https';
import net, { AddressInfo } from 'node:net';
import { NetworkController } from '../controller/NetworkController';
import { ClusterSpec, DEFAULT_TOKEN, clusterBasics } from '../estate';
import type { SandboxCloud } from '../tencent/SandboxCloud';
import { ClusterFaults, ClusterStats, emptyStats } from './faults';
import { resourceTypeOfObject, servedResourceTypes } from './resources';
import { createKubeApi } from './router';
import { SERVING_CERTIFICATE, SERVING_KEY } from './servingCertificate';
import { KubeObject, ObjectStore } from './store';

export interface RunningCluster {
  name: string;
  /** `http://127.0.0.1:<port>`; the same port also speaks HTTPS. */
  url: string;
  /** `https://127.0.0.1:<port>` (self-signed): kubectl only sends tokens over TLS. */
  httpsUrl: string;
  /** A token every cluster accepts for everything. */
  token: string;
  spec: ClusterSpec;
  store: ObjectStore;
  faults: ClusterFaults;
  stats: ClusterStats;
  controller: NetworkController;
  resetStats(): void;
  stop(): Promise<void>;
}

/** Starts one cluster's API server on 127.0.0.1 with its objects loaded and the controller run once. */
export async function startCluster(options: {
  spec: ClusterSpec;
  objects: KubeObject[];
  cloud?: SandboxCloud;
  /** Overrides spec.port; 0 picks a free port. */
  port?: number;
  /** How long an installer Job's `istioctl install` runs, in ms. Default 0. */
  installerMs?: number;
}): Promise<RunningCluster> {
  const { spec, cloud } = options;
  const store = new ObjectStore(
    servedResourceTypes({ vpcCni: Boolean(spec.vpcCni) }),
  );
  loadObjects(store, spec, [...clusterBasics(spec), ...options.objects]);
  const controller = new NetworkController({
    store,
    cluster: spec,
    cloud,
    installerMs: options.installerMs,
  });
  controller.reconcile();

  const faults = new ClusterFaults();
  const stats = emptyStats();
  const tokens = spec.tokens ?? [DEFAULT_TOKEN];
  const api = createKubeApi({
    store,
    auth: { tokens, forbidden: spec.forbidden },
    faults,
    stats,
    kubernetesVersion: spec.kubernetesVersion ?? 'v1.30.0',
    afterWrite: () => controller.reconcile(),
  });
  const { server, stop } = await listenHttpAndHttps(
    api.handle,
    options.port ?? spec.port,
  ).catch(error => {
    throw new Error(
      `Cluster ${spec.name} cannot listen on 127.0.0.1:${
        options.port ?? spec.port
      }: ${error.message}`,
    );
  });
  const { port } = server.address() as AddressInfo;

  return {
    name: spec.name,
    url: `http://127.0.0.1:${port}`,
    httpsUrl: `https://127.0.0.1:${port}`,
    token: tokens[0],
    spec: { ...spec, port },
    store,
    faults,
    stats,
    controller,
    resetStats: () => Object.assign(stats, emptyStats()),
    stop: async () => {
      api.close();
      await stop();
    },
  };
}

/**
 * One port for both protocols: a connection whose first byte starts a TLS handshake goes to
 * the HTTPS server, anything else to the HTTP server.
 */
async function listenHttpAndHttps(handler: http.RequestListener, port: number) {
  const plain = http.createServer({ keepAliveTimeout: 30_000 }, handler);
  const secure = https.createServer(
    { cert: SERVING_CERTIFICATE, key: SERVING_KEY, keepAliveTimeout: 30_000 },
    handler,
  );
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', first => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        sockets.forEach(socket => socket.destroy());
      }),
  };
}

/**
 * CustomResourceDefinitions and Namespaces first, then everything else in file order; a
 * manifest replaces a built-in object of the same name.
 */
function loadObjects(
  store: ObjectStore,
  spec: ClusterSpec,
  objects: KubeObject[],
) {
  const first = ['CustomResourceDefinition', 'Namespace'];
  const ordered = [
    ...first.flatMap(kind => objects.filter(o => o.kind === kind)),
    ...objects.filter(o => !first.includes(o.kind ?? '')),
  ];
  for (const object of ordered) {
    const where = `${object.apiVersion} ${object.kind} ${
      object.metadata?.namespace ?? ''
    }/${object.metadata?.name}`;
    const type = resourceTypeOfObject(
      store.types,
      object.apiVersion,
      object.kind,
    );
    if (!type) {
      throw new Error(
        `Cluster ${spec.name}: ${where} is not a kind this cluster serves (a custom resource needs its CustomResourceDefinition among the cluster's manifests)`,
      );
    }
    try {
      const exists = store.getEntry(
        type,
        object.metadata.namespace ?? 'default',
        object.metadata.name,
      );
      if (exists) {
        store.update(type, object);
      } else {
        store.create(type, object, { keepMetadata: true });
      }
    } catch (error) {
      throw new Error(
        `Cluster ${spec.name}: cannot load ${where}: ${
          (error as Error).message
        }`,
      );
    }
  }
}
