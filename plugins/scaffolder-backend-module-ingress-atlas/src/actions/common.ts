import type {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import type { z as zod } from 'zod/v3';
import type { ConnectedCluster, ClusterDirectory } from '../clusters';
import type { Clock } from '../clock';
import type { ReachabilityProbe } from '../reachability';
import { TencentCloud } from '../tencent';
import { checkedString } from './inputs';

export type Zod = typeof zod;

/**
 * What every action is created with.
 *
 * @public
 */
export interface ActionOptions {
  clusters: ClusterDirectory;
  permissions: PermissionsService;
  /** How gateway addresses are probed before traffic is moved onto them. Default: TCP connect. */
  probe?: ReachabilityProbe;
  /** What waits (for DNS caches to expire) measure time with. Default: the system clock. */
  clock?: Clock;
  /**
   * The backend's log, for the stack of an unexpected failure; the task log gets the message
   * only.
   */
  logger?: LoggerService;
  /**
   * Where a real run says what it changed (`INGRESS_ATLAS_CHANGES_TOPIC`), so the atlas shows
   * the new state at once. Without it, the next scheduled refresh does.
   */
  events?: EventsService;
}

/** Marks objects an action created, with what they replace (`Deployment/<name>`). */
export const MIGRATED_FROM_ANNOTATION = 'ingress-atlas.io/migrated-from';
/** Marks objects an action created. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ingress-atlas';

/**
 * Collects the checks made before a change. Every check runs, so the user sees all problems
 * at once; `done()` refuses before anything was changed if one failed.
 */
export class Preflight {
  readonly #what: string;
  readonly #logger: LoggerService;
  readonly #problems: string[] = [];

  readonly #dryRun: boolean;

  constructor(
    what: string,
    logger: LoggerService,
    options: { dryRun?: boolean } = {},
  ) {
    this.#what = what;
    this.#logger = logger;
    this.#dryRun = Boolean(options.dryRun);
  }

  pass(check: string): void {
    this.#logger.info(`Preflight ok: ${check}`);
  }

  fail(problem: string): void {
    this.#logger.error(`Preflight failed: ${problem}`);
    this.#problems.push(problem);
  }

  check(ok: boolean, passed: string, failed: string): boolean {
    if (ok) {
      this.pass(passed);
    } else {
      this.fail(failed);
    }
    return ok;
  }

  /**
   * A problem that an earlier step of the same task is expected to solve (the EIPs that
   * bind-eip creates). A dry run of that step changes nothing, so on a dry run this is a
   * warning; on a real run it refuses like any other.
   */
  failUnlessDryRun(problem: string): void {
    if (this.#dryRun) {
      this.#logger.warn(
        `Dry run: a real run would refuse now, unless an earlier step changes it: ${problem}`,
      );
    } else {
      this.fail(problem);
    }
  }

  warn(message: string): void {
    this.#logger.warn(message);
  }

  /** Whether a check failed already. */
  get failed(): boolean {
    return this.#problems.length > 0;
  }

  done(): void {
    if (this.#problems.length > 0) {
      throw new ConflictError(
        `Refusing to ${this.#what}; nothing was changed. ${this.#problems.join(
          '; ',
        )}`,
      );
    }
  }
}

/** The Tencent Cloud clients for a cluster's account, if one covers its region. */
export function tencentCloudOf(
  cluster: ConnectedCluster,
): TencentCloud | undefined {
  return cluster.tencent ? new TencentCloud(cluster.tencent) : undefined;
}

/** A checkpoint key: unique per action, target and step within a task. */
export function checkpointKey(...parts: string[]): string {
  return ['ingress-atlas', ...parts].join('.');
}

export const clusterInput = (z: Zod) =>
  checkedString(
    z,
    'configName',
    'The cluster to change: a name from ingressAtlas.clusters in the backend config',
  );

/** Where a proxy an action deploys lives, with the defaults the action falls back to. */
export const proxyInputs = (defaults: { namespace: string; name: string }) => ({
  namespace: (z: Zod) =>
    checkedString(
      z,
      'dnsLabel',
      `Namespace of the proxy. Default: ${defaults.namespace}`,
    ).default(defaults.namespace),
  name: (z: Zod) =>
    checkedString(
      z,
      'dnsLabel',
      `Name of the proxy. Default: ${defaults.name}`,
    ).default(defaults.name),
});

/** The ingress gateway an Istio installation creates unless told otherwise. */
export const DEFAULT_GATEWAY = 'istio-ingressgateway';

/** The gateway to change; `what` names the kind of object it is for this action. */
export const gatewayInput = (what: string) => (z: Zod) =>
  checkedString(z, 'dnsLabel', `${what}. Default: ${DEFAULT_GATEWAY}`).default(
    DEFAULT_GATEWAY,
  );

export const namespaceInput = (z: Zod) =>
  checkedString(
    z,
    'dnsLabel',
    'Namespace of the gateway. Default: istio-system',
  ).default('istio-system');

export const timeoutInput = (z: Zod, defaultSeconds: number) =>
  z
    .number({
      description: `How long to wait for the cluster and cloud to settle, in seconds. Default: ${defaultSeconds}`,
    })
    .int()
    .min(1)
    .max(3600)
    .default(defaultSeconds);

/** What every action that changes something reports. */
export const changeOutputs = {
  changed: (z: Zod) =>
    z.boolean({ description: 'Whether this run changed anything' }),
  diff: (z: Zod) =>
    z.string({
      description: 'Unified diff of the changes (Secret values redacted)',
    }),
  backup: (z: Zod) =>
    z.string({
      description:
        'Manifests of what was removed or replaced, as YAML (Secret values redacted); empty when nothing was',
    }),
};
