import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ConnectedCluster } from '../clusters';
import {
  KubeObject,
  containsAll,
  createOrReplaceObject,
  readObject,
  servesKind,
} from '../kube';
import { describeObject, diffObjects, manifestOf, toYaml } from '../manifests';
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  Preflight,
  checkpointKey,
} from './common';

export interface ObjectPlan {
  desired: KubeObject;
  live?: KubeObject;
  action: 'create' | 'replace' | 'unchanged';
}

/** Compares each desired object with the live one: create, replace, or leave alone. */
export async function planObjects(
  cluster: ConnectedCluster,
  desired: KubeObject[],
): Promise<ObjectPlan[]> {
  return Promise.all(
    desired.map(async object => {
      const live = await readObject(cluster, {
        apiVersion: object.apiVersion!,
        kind: object.kind!,
        namespace: object.metadata?.namespace,
        name: object.metadata!.name!,
      });
      let action: ObjectPlan['action'] = 'replace';
      if (!live) {
        action = 'create';
      } else if (containsAll(live, object)) {
        action = 'unchanged';
      }
      return { desired: object, live, action };
    }),
  );
}

/** Adds a failure for every kind the cluster does not serve (a CRD missing, an API off). */
export async function checkKindsServed(
  cluster: ConnectedCluster,
  objects: KubeObject[],
  preflight: Preflight,
): Promise<void> {
  const kinds = [...new Set(objects.map(o => `${o.apiVersion} ${o.kind}`))];
  for (const entry of kinds) {
    const [apiVersion, kind] = entry.split(' ');
    preflight.check(
      await servesKind(cluster, apiVersion, kind),
      `cluster ${cluster.name} serves ${apiVersion} ${kind}`,
      `cluster ${cluster.name} does not serve ${apiVersion} ${kind} (its CRD is not installed)`,
    );
  }
}

/** Adds a failure for every object that exists already and was not created by an earlier run. */
export function checkManagedByUs(
  plans: ObjectPlan[],
  preflight: Preflight,
): void {
  for (const { desired, live } of plans) {
    if (!live || desired.kind === 'Namespace') {
      continue;
    }
    const what = `${desired.kind} ${desired.metadata!.namespace}/${
      desired.metadata!.name
    }`;
    preflight.check(
      live.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY,
      `${what} was created by an earlier run`,
      `${what} exists and is not managed by ${MANAGED_BY}`,
    );
  }
}

export function planDiff(plans: ObjectPlan[]): string {
  return plans
    .filter(p => p.action !== 'unchanged')
    .map(p => {
      const diff = diffObjects(p.live, p.desired);
      return diff.includes('@@')
        ? diff
        : `# ${describeObject(
            p.desired,
          )}: only redacted Secret values change\n`;
    })
    .join('\n');
}

/**
 * The live objects a plan replaces, as YAML (Secret values redacted). Kept in a checkpoint:
 * a resumed task reports what was there before it, not what it wrote itself.
 */
export async function planBackup(
  ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'isDryRun'>,
  plans: ObjectPlan[],
  keyPrefix: string[],
): Promise<string> {
  const backup = async () =>
    toYaml(
      plans.filter(p => p.action === 'replace').map(p => manifestOf(p.live!)),
    );
  if (ctx.isDryRun) {
    return backup();
  }
  return ctx.checkpoint({
    key: checkpointKey(...keyPrefix, 'backup'),
    fn: backup,
  });
}

/**
 * Carries a plan out: with dryRun=All on the API server for a dry run, otherwise one
 * checkpoint per object so a resumed task never writes an object twice.
 */
export async function applyPlans(
  ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'logger' | 'isDryRun'>,
  cluster: ConnectedCluster,
  plans: ObjectPlan[],
  keyPrefix: string[],
): Promise<void> {
  const dryRun = Boolean(ctx.isDryRun);
  for (const plan of plans.filter(p => p.action !== 'unchanged')) {
    const what = describeObject(plan.desired);
    const write = async () => {
      await createOrReplaceObject(cluster, plan.desired, plan.live, { dryRun });
      ctx.logger.info(
        `${dryRun ? 'Dry run accepted: ' : ''}${
          plan.action === 'create' ? 'Created' : 'Replaced'
        } ${what}`,
        { cluster: cluster.name },
      );
    };
    if (dryRun) {
      await write();
    } else {
      await ctx.checkpoint({
        key: checkpointKey(
          ...keyPrefix,
          'apply',
          plan.desired.kind!,
          plan.desired.metadata?.namespace ?? '',
          plan.desired.metadata!.name!,
        ),
        fn: write,
      });
    }
  }
  for (const plan of plans.filter(p => p.action === 'unchanged')) {
    ctx.logger.info(`Unchanged: ${describeObject(plan.desired)}`, {
      cluster: cluster.name,
    });
  }
}

/**
 * The whole change of a plan: diff, backup and outputs `diff`, `backup` and `changed`, then
 * the writes. Returns whether anything needed to change.
 */
export async function carryOut(
  ctx: Pick<
    ActionContext<any, any>,
    'checkpoint' | 'logger' | 'isDryRun' | 'output'
  >,
  cluster: ConnectedCluster,
  plans: ObjectPlan[],
  keyPrefix: string[],
): Promise<boolean> {
  ctx.output('diff', planDiff(plans));
  ctx.output('backup', await planBackup(ctx, plans, keyPrefix));
  await applyPlans(ctx, cluster, plans, keyPrefix);
  const changed = plans.some(p => p.action !== 'unchanged');
  ctx.output('changed', changed && !ctx.isDryRun);
  return changed;
}
