import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  KubeObject,
  RunningCluster,
  Sandbox,
  startSandbox,
} from '@ingress-atlas/sandbox';
import { Client as ClbClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_client';
import { Client as VpcClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_client';
import { Client as DnspodClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_client';
import type { ActionOptions } from '../actions/common';
import type { Clock } from '../clock';
import { ClusterDirectory } from '../clusters';
import {
  ReachabilityProbe,
  reachabilityProbeFromConfig,
} from '../reachability';

export const ESTATES_DIR = path.resolve(
  __dirname,
  '../../../../examples/sandbox',
);
export const SANDBOX_CREDENTIALS = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

/**
 * Time the tests control: a wait returns at once and moves the clock on by its length, so a
 * test sees how long an action waited (and what the world looked like meanwhile) without
 * waiting a record's 600 s TTL.
 */
export class TestClock implements Clock {
  #now = Date.parse('2026-01-05T02:00:00Z');
  /** Each wait in milliseconds, in order. */
  readonly waits: number[] = [];
  /** Called at the start of each wait, before the clock moves on. */
  onWait?: (ms: number) => Promise<void> | void;

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      throw new Error('Cancelled');
    }
    this.waits.push(ms);
    await this.onWait?.(ms);
    this.#now += ms;
  }
}

export interface TestWorld {
  sandbox: Sandbox;
  clock: TestClock;
  config: ConfigReader;
  options: ActionOptions;
  /** Signed clients on the cloud stand-in, for checking what the actions did. */
  clb(region: string): ClbClient;
  vpc(region: string): VpcClient;
  dnspod(): DnspodClient;
  /** The running stand-in of a cluster (its store is what the API server serves). */
  cluster(name: string): RunningCluster;
  /** An object as the stand-in stores it, or undefined. */
  object(
    cluster: string,
    group: string,
    plural: string,
    namespace: string,
    name: string,
  ): KubeObject | undefined;
  /** Removes a Deployment and its pods, as an operator deleting it would. */
  removeDeployment(cluster: string, namespace: string, name: string): void;
  /**
   * The prober of `ingressAtlas.reachability.probeUrl` pointed at the sandbox's control API,
   * which answers from the pods' state, as the portal on the sandbox is configured.
   */
  probe(): ReachabilityProbe;
  stop(): Promise<void>;
}

/** The sandbox on free ports, and the backend config that points the actions at it. */
export async function startWorld(clusters?: string[]): Promise<TestWorld> {
  const sandbox = await startSandbox({
    estatesDir: ESTATES_DIR,
    clusters,
    basePort: 0,
  });
  const cloudUrl = sandbox.cloud!.url;
  const config = new ConfigReader({
    ingressAtlas: {
      clusters: sandbox.running.map(c => ({
        name: c.name,
        url: c.url,
        serviceAccountToken: c.token,
        provider: c.spec.provider,
        region: c.spec.region,
        cloudClusterId: c.spec.cloudClusterId,
        ...(sandbox.running.some(r => r.name === c.spec.istioConfigCluster)
          ? { istioConfigCluster: c.spec.istioConfigCluster }
          : {}),
      })),
      providers: {
        tencent: [
          {
            name: 'sandbox',
            regions: ['ap-guangzhou', 'ap-shanghai'],
            endpoint: cloudUrl,
            credentials: SANDBOX_CREDENTIALS,
          },
        ],
      },
    },
  });
  const cluster = (name: string) => {
    const running = sandbox.running.find(c => c.name === name);
    if (!running) {
      throw new Error(`cluster ${name} is not running`);
    }
    return running;
  };
  const endpoint = new URL(cloudUrl);
  const profile = {
    httpProfile: { endpoint: endpoint.host, protocol: 'http://' },
  };
  const clock = new TestClock();
  return {
    sandbox,
    config,
    clock,
    options: {
      clusters: ClusterDirectory.fromConfig(config),
      permissions: mockServices.permissions(),
      clock,
    },
    clb: region =>
      new ClbClient({ credential: SANDBOX_CREDENTIALS, region, profile }),
    vpc: region =>
      new VpcClient({ credential: SANDBOX_CREDENTIALS, region, profile }),
    dnspod: () =>
      new DnspodClient({ credential: SANDBOX_CREDENTIALS, profile }),
    cluster,
    object(clusterName, group, plural, namespace, name) {
      const { store } = cluster(clusterName);
      return store.get(store.type(group, plural)!, namespace, name);
    },
    removeDeployment(clusterName, namespace, name) {
      const { store } = cluster(clusterName);
      const deployment = store.delete(
        store.type('apps', 'deployments')!,
        namespace,
        name,
      );
      const labels = deployment.spec?.selector?.matchLabels ?? {};
      const pods = store.type('', 'pods')!;
      for (const pod of store.list(pods, namespace)) {
        if (
          Object.entries(labels).every(
            ([k, v]) => pod.metadata.labels?.[k] === v,
          )
        ) {
          store.delete(pods, namespace, pod.metadata.name!);
        }
      }
    },
    probe: () =>
      reachabilityProbeFromConfig(
        new ConfigReader({
          ingressAtlas: {
            reachability: {
              probeUrl: `${sandbox.control.url}/reachability`,
            },
          },
        }),
      )!,
    stop: () => sandbox.stop(),
  };
}

/** Everything an action said: log lines with their fields, and outputs. */
export interface Recorded {
  logs: string[];
  outputs: Record<string, unknown>;
}

function recordingLogger(logs: string[], fields: object = {}): LoggerService {
  const log = (level: string) => (message: string, meta?: Error | object) => {
    logs.push(
      `${level} ${message} ${JSON.stringify({ ...fields, ...(meta ?? {}) })}`,
    );
  };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => recordingLogger(logs, { ...fields, ...meta }),
  };
}

/**
 * The scaffolder's checkpoint store for one task: a step that completed is not run again when
 * the task resumes; its stored result is returned instead.
 */
export class CheckpointStore {
  readonly results = new Map<string, JsonValue | undefined>();
  readonly runs: string[] = [];

  checkpoint = async <T extends JsonValue | void>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T> => {
    if (this.results.has(opts.key)) {
      return this.results.get(opts.key) as T;
    }
    this.runs.push(opts.key);
    const result = await opts.fn();
    // As the scaffolder stores it: an empty result becomes {}.
    this.results.set(opts.key, JSON.parse(JSON.stringify(result ?? {})));
    return result;
  };

  /** The worker stops once, with 'worker lost', right after the step whose key ends with `keySuffix`. */
  loseWorkerAfter(keySuffix: string): void {
    const checkpoint = this.checkpoint;
    this.checkpoint = async opts => {
      const result = await checkpoint(opts);
      if (opts.key.endsWith(keySuffix)) {
        this.checkpoint = checkpoint;
        throw new Error('worker lost');
      }
      return result;
    };
  }
}

export function actionContext<TInput extends Record<string, any>>(
  input: TInput,
  options: {
    dryRun?: boolean;
    checkpoints?: CheckpointStore;
    workspacePath?: string;
  } = {},
): { ctx: ActionContext<TInput, any>; recorded: Recorded } {
  const recorded: Recorded = { logs: [], outputs: {} };
  const checkpoints = options.checkpoints ?? new CheckpointStore();
  const ctx = {
    ...createMockActionContext<TInput>({
      input,
      logger: recordingLogger(recorded.logs),
      workspacePath: options.workspacePath,
    }),
    isDryRun: options.dryRun,
    checkpoint: checkpoints.checkpoint,
    output: (name: string, value: unknown) => {
      recorded.outputs[name] = value;
    },
  } as ActionContext<TInput, any>;
  return { ctx, recorded };
}
