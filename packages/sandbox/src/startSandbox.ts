import path from 'node:path';
import { startControlServer } from './control';
import { LoadedCluster, loadEstates } from './estate';
import { RunningCluster, startCluster } from './kube/startCluster';
import { TencentCloudServer, startTencentCloudServer } from './tencent';

export interface SandboxOptions {
  /** The folder with estates.yaml and one manifest folder per cluster, e.g. examples/sandbox. */
  estatesDir?: string;
  /** Clusters to start, by name; all when omitted. */
  clusters?: string[];
  /** Extra clusters built in code (see generateEstate), served like the ones from estatesDir. */
  generated?: LoadedCluster[];
  /** Start the Tencent Cloud API stand-in (needs `cloud` in estates.yaml). Default true. */
  withCloud?: boolean;
  /**
   * Ports: omitted, those of estates.yaml (clusters, cloud 6480, control 6490); 0, free ports
   * for everything; N, cluster i on N+i, then the cloud and the control API on the next two.
   */
  basePort?: number;
  /**
   * Caps the TTL of the seed's A, AAAA and CNAME records, in seconds. DNSPod's free plan
   * starts at 600 s, and a DNS cutover waits out the TTL: a portal demo or browser test of
   * that story finishes in seconds with e.g. 5. Default: the seed's TTLs.
   */
  dnsTtl?: number;
  /**
   * How long `istioctl install` runs in an installer Job, in seconds (a real install takes a
   * minute or so). Default 0: the Job completes at the controller's next pass.
   */
  installerSeconds?: number;
}

export interface Sandbox {
  /** `url` is plain HTTP; `httpsUrl` is the same server over TLS (self-signed), which kubectl needs. */
  clusters: Record<string, { url: string; httpsUrl: string; token: string }>;
  /** The running clusters, for in-process tests (store, faults, stats, controller). */
  running: RunningCluster[];
  cloud?: TencentCloudServer;
  control: { url: string };
  stop(): Promise<void>;
}

const DEFAULT_CLOUD_PORT = 6480;
const DEFAULT_CONTROL_PORT = 6490;

/** Starts the sandbox world: one Kubernetes API per cluster, the Tencent Cloud API and the control API. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { withCloud = true, basePort } = options;
  const estate = options.estatesDir
    ? loadEstates(options.estatesDir, options.clusters)
    : { file: { clusters: [] }, clusters: [] };
  const loaded = [...estate.clusters, ...(options.generated ?? [])];
  const portOf = (index: number, configured: number) =>
    basePort === undefined ? configured : basePort && basePort + index;

  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) {
      await stop();
    }
  };
  try {
    let cloud: TencentCloudServer | undefined;
    const cloudConfig = estate.file.cloud;
    if (withCloud && cloudConfig && options.estatesDir) {
      cloud = await startTencentCloudServer({
        port: portOf(loaded.length, cloudConfig.port ?? DEFAULT_CLOUD_PORT),
        seedFile: path.resolve(options.estatesDir, cloudConfig.seedFile),
        credentials: [cloudConfig.credentials],
      });
      if (options.dnsTtl !== undefined) {
        for (const record of Object.values(cloud.state.domains).flat()) {
          if (['A', 'AAAA', 'CNAME'].includes(record.Type)) {
            record.TTL = Math.min(record.TTL, options.dnsTtl);
          }
        }
      }
      stoppers.push(cloud.stop);
    }

    const running: RunningCluster[] = [];
    for (const [index, { spec, objects }] of loaded.entries()) {
      const cluster = await startCluster({
        spec,
        objects,
        cloud: spec.provider === 'tencent' ? cloud?.cloud : undefined,
        port: portOf(index, spec.port),
        installerMs: (options.installerSeconds ?? 0) * 1000,
      });
      stoppers.push(cluster.stop);
      running.push(cluster);
      pointCloudAt(cloud, cluster);
    }

    const control = await startControlServer({
      port: portOf(
        loaded.length + 1,
        estate.file.control?.port ?? DEFAULT_CONTROL_PORT,
      ),
      clusters: running,
      cloud,
    });
    stoppers.push(control.stop);

    return {
      clusters: Object.fromEntries(
        running.map(c => [
          c.name,
          { url: c.url, httpsUrl: c.httpsUrl, token: c.token },
        ]),
      ),
      running,
      cloud,
      control: { url: control.url },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The cloud's TKE API hands out kubeconfigs for its clusters: keep them pointing at the running API servers. */
function pointCloudAt(
  cloud: TencentCloudServer | undefined,
  cluster: RunningCluster,
) {
  const { cloudClusterId, region, provider } = cluster.spec;
  if (!cloud || provider !== 'tencent' || !cloudClusterId) {
    return;
  }
  const known = cloud.state.regions[region]?.Clusters.find(
    c => c.ClusterId === cloudClusterId,
  );
  if (known) {
    known.Sandbox = { ApiServer: cluster.url, Token: cluster.token };
  }
}
