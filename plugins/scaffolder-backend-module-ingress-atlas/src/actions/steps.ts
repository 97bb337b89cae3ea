import type { JsonObject } from '@backstage/config';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ConnectedCluster } from '../clusters';
import { KubeObject, servesKind } from '../kube';
import { toYaml } from '../manifests';
import {
  ObjectPlan,
  logUnchanged,
  newNamespaceReason,
  planDiff,
  planObjects,
  planRemovals,
  replacedManifests,
  writePlan,
} from './applyObjects';
import { checkpointKey } from './common';
import { WorkspaceFile, writeWorkspaceFiles } from './workspace';

/** A change outside the cluster, such as a cloud API call. */
export interface CloudCall {
  /** What the call does, e.g. "delete CLB lb-1 through the CLB API": a dry run says it would. */
  what: string;
  /** Made on real runs only: no cloud API has a dry-run mode. */
  run(): Promise<void>;
}

/**
 * One step of a change: its objects go through the same diff, backup and apply as a plan's,
 * and the step is one checkpoint, so a resumed task skips a step it finished.
 */
export interface ChangeStep {
  /** The last part of the step's checkpoint key, e.g. `create-statefulset`. */
  name: string;
  /** The cluster of the objects. Default: the action's. */
  cluster?: ConnectedCluster;
  /** The objects as they should be: created, or applied over the live ones. */
  objects?: KubeObject[];
  /** Create the objects, never change live ones: one that exists is left as it is. */
  createOnly?: boolean;
  /**
   * What an earlier step runs that installs the objects' kinds (e.g. "istioctl install"): an
   * object of a kind the cluster does not serve yet is created on a real run once that step
   * has run, and only described on a dry run.
   */
  kindsFrom?: string;
  /** Live objects to delete: their manifests go into the backup. */
  remove?: KubeObject[];
  /** Made after the objects are written, within the step's checkpoint. */
  call?: CloudCall;
  /**
   * The objects as they are known only once earlier steps ran (a token the cluster issues to
   * a Secret created before): read and planned again at this step's turn on a real run.
   * `objects` is then their preview, for the diff and the dry run.
   */
  resolve?: () => Promise<KubeObject[]>;
}

/**
 * A wait between steps, for the cluster or cloud to settle. Not a checkpoint: a resumed task
 * waits again, which ends at once when what it waits for is there. A dry run does not wait.
 */
export interface WaitStep {
  /** What is waited for, e.g. "the pods' EIPs". */
  waitFor: string;
  wait(): Promise<void>;
}

export type Step = ChangeStep | WaitStep;

/** A change in ordered steps, for actions that wait or call clouds between their writes. */
export interface StepChange {
  /** Checkpoint keys of this change: unique per action and target within a task. */
  key: string[];
  steps: Step[];
  /** The diff of what changes outside Kubernetes (DNS records), after the objects' diff. */
  diff?: string;
  /** What the change replaces outside Kubernetes (a CLB's description), kept in the backup. */
  backup?: object[];
  /** Files for the task workspace (a pull request step after this one), written on dry runs too. */
  files?: WorkspaceFile[];
  /** What is said when everything is in place already. */
  inPlace: string;
  /** Outputs from what the steps did; runs on dry runs too. */
  finish?(outcome: { changed: boolean }): Promise<void> | void;
}

type StepContext = Pick<
  ActionContext<any, any>,
  'checkpoint' | 'logger' | 'isDryRun' | 'output' | 'workspacePath'
>;

const isWait = (step: Step): step is WaitStep => 'wait' in step;

/**
 * What the task found before it changed anything, kept in a checkpoint on a real run: a task
 * resumed after a change carries on with what it found then, not with what it changed.
 */
export async function foundBefore<T>(
  ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'isDryRun'>,
  key: string,
  found: T,
): Promise<T> {
  if (ctx.isDryRun) {
    return found;
  }
  return (await ctx.checkpoint({
    key,
    fn: async () => found as unknown as JsonObject,
  })) as unknown as T;
}

async function planStep(
  step: ChangeStep,
  cluster: ConnectedCluster,
): Promise<ObjectPlan[]> {
  const plans = await planObjects(cluster, step.objects ?? [], {
    createOnly: step.createOnly,
  });
  if (step.kindsFrom) {
    const served = new Map<string, Promise<boolean>>();
    for (const plan of plans.filter(p => p.action === 'create')) {
      const { apiVersion, kind } = plan.desired;
      const key = `${apiVersion} ${kind}`;
      if (!served.has(key)) {
        served.set(key, servesKind(cluster, apiVersion!, kind!));
      }
      if (!(await served.get(key))) {
        plan.madeFirst ??= `${step.kindsFrom} has installed ${apiVersion} ${kind}, which cluster ${cluster.name} does not serve yet`;
      }
    }
  }
  return [...plans, ...planRemovals(step.remove ?? [])];
}

async function carryOutStep(
  ctx: StepContext,
  step: ChangeStep,
  cluster: ConnectedCluster,
  plans: ObjectPlan[],
  key: string[],
): Promise<void> {
  const writes = plans.filter(p => p.action !== 'unchanged');
  logUnchanged(ctx, cluster, plans);
  if (ctx.isDryRun) {
    for (const plan of writes) {
      await writePlan(ctx, cluster, plan);
    }
    if (step.call) {
      ctx.logger.info(`Dry run: a real run would ${step.call.what}`);
    }
    return;
  }
  if (writes.length === 0 && !step.call && !step.resolve) {
    return;
  }
  await ctx.checkpoint({
    key: checkpointKey(...key, step.name),
    fn: async () => {
      const resolved = step.resolve
        ? (
            await planStep({ ...step, objects: await step.resolve() }, cluster)
          ).filter(p => p.action !== 'unchanged')
        : writes;
      for (const plan of resolved) {
        await writePlan(ctx, cluster, plan);
      }
      await step.call?.run();
    },
  });
}

/**
 * Marks what later steps create in a namespace an earlier step creates: planned up front, a
 * dry run cannot ask the server about those (it stores no namespace), and a real run has
 * created the namespace by the time they come.
 */
function markNewNamespaces(
  steps: Array<{ cluster?: string; plans: ObjectPlan[] }>,
): void {
  const created = new Set<string>();
  for (const { cluster, plans } of steps) {
    for (const plan of plans) {
      const namespace = plan.desired.metadata?.namespace;
      if (
        plan.action === 'create' &&
        namespace &&
        created.has(`${cluster}/${namespace}`)
      ) {
        plan.madeFirst ??= newNamespaceReason(namespace);
      }
    }
    for (const plan of plans) {
      if (plan.action === 'create' && plan.desired.kind === 'Namespace') {
        created.add(`${cluster}/${plan.desired.metadata!.name}`);
      }
    }
  }
}

/**
 * Carries a change out step by step: the workspace files first, then the diff and backup of
 * every step (outputs `diff` and `backup`), then each step in order; `changed` says whether
 * anything needed to change when the task first got here.
 */
export async function carryOutSteps(
  ctx: StepContext,
  cluster: ConnectedCluster | undefined,
  change: StepChange,
): Promise<void> {
  const dryRun = Boolean(ctx.isDryRun);
  const clusterOf = (step: ChangeStep) => (step.cluster ?? cluster)!;
  const plans = await Promise.all(
    change.steps.map(step =>
      isWait(step) ? [] : planStep(step, clusterOf(step)),
    ),
  );
  markNewNamespaces(
    change.steps.map((step, i) => ({
      cluster: isWait(step) ? undefined : (step.cluster ?? cluster)?.name,
      plans: plans[i],
    })),
  );
  const files = change.files
    ? await writeWorkspaceFiles(ctx.workspacePath, change.files, ctx.logger)
    : [];
  if (change.files) {
    ctx.output(
      'files',
      files.map(f => f.path),
    );
  }
  const all = plans.flat();
  const calls = change.steps.flatMap(step =>
    !isWait(step) && step.call ? [step.call] : [],
  );
  ctx.output(
    'diff',
    [planDiff(all), change.diff ?? ''].filter(Boolean).join('\n'),
  );
  const found = {
    backup: toYaml([...replacedManifests(all), ...(change.backup ?? [])]),
    changed:
      files.some(f => f.status !== 'unchanged') ||
      calls.length > 0 ||
      all.some(p => p.action !== 'unchanged'),
  };
  const first = await foundBefore(
    ctx,
    checkpointKey(...change.key, 'backup'),
    found,
  );
  ctx.output('backup', first.backup);
  for (const [i, step] of change.steps.entries()) {
    if (!isWait(step)) {
      await carryOutStep(ctx, step, clusterOf(step), plans[i], change.key);
    } else if (dryRun) {
      ctx.logger.info(`Dry run: a real run would wait for ${step.waitFor}`);
    } else {
      ctx.logger.info(`Waiting for ${step.waitFor}`);
      await step.wait();
    }
  }
  ctx.output('changed', first.changed && !dryRun);
  await change.finish?.({ changed: first.changed });
  if (!first.changed) {
    ctx.logger.info(`Nothing to change: ${change.inPlace}`);
  }
}
