import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ConnectedCluster } from '../clusters';
import {
  KubeObject,
  applyObject,
  containsAll,
  createObject,
  deleteObject,
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
  /**
   * The object as the API server would store it (a server-side dry run of the apply): the live
   * object with the desired fields set, others' fields kept. What the diff shows.
   */
  after?: KubeObject;
  /**
   * What this run makes before the object can be written, e.g. "namespace x, which this run
   * creates first": the server cannot check the object before, so a dry run only describes it.
   */
  madeFirst?: string;
  /** Created with a plain create, which fails rather than touch an object made meanwhile. */
  createOnly?: boolean;
  action: 'create' | 'update' | 'unchanged' | 'delete';
}

/** Why an object in `namespace` waits on a dry run: the namespace comes earlier in the run. */
export function newNamespaceReason(namespace: string): string {
  return `namespace ${namespace} exists, which this run creates first`;
}

/**
 * Compares each desired object with the live one: create, update (server-side apply of the
 * desired fields), or leave alone. For an update, the API server computes the result in a dry
 * run, so the diff shows exactly what the apply will change and nothing it keeps.
 */
export async function planObjects(
  cluster: ConnectedCluster,
  desired: KubeObject[],
  options: { createOnly?: boolean } = {},
): Promise<ObjectPlan[]> {
  const lives = await Promise.all(
    desired.map(object =>
      readObject(cluster, {
        apiVersion: object.apiVersion!,
        kind: object.kind!,
        namespace: object.metadata?.namespace,
        name: object.metadata!.name!,
      }),
    ),
  );
  const newNamespaces = new Set(
    desired
      .filter((object, i) => object.kind === 'Namespace' && !lives[i])
      .map(object => object.metadata!.name!),
  );
  return Promise.all(
    desired.map(async (object, i): Promise<ObjectPlan> => {
      const live = lives[i];
      const namespace = object.metadata?.namespace;
      if (!live) {
        return {
          desired: object,
          after: object,
          action: 'create',
          ...(options.createOnly && { createOnly: true }),
          ...(namespace &&
            newNamespaces.has(namespace) && {
              madeFirst: newNamespaceReason(namespace),
            }),
        };
      }
      if (options.createOnly || containsAll(live, object)) {
        return { desired: object, live, action: 'unchanged' };
      }
      const after = await applyObject(cluster, object, { dryRun: true });
      return { desired: object, live, after, action: 'update' };
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

/**
 * Live objects to delete, as plans: the diff shows them going, the backup keeps them. One that
 * is already being deleted (waiting on others' finalizers) is left as it is.
 */
export function planRemovals(live: KubeObject[]): ObjectPlan[] {
  return live.map(object => ({
    desired: object,
    live: object,
    action: object.metadata?.deletionTimestamp ? 'unchanged' : 'delete',
  }));
}

export function planDiff(plans: ObjectPlan[]): string {
  return plans
    .filter(p => p.action !== 'unchanged')
    .map(p => {
      const diff = diffObjects(
        p.live,
        p.action === 'delete' ? undefined : p.after ?? p.desired,
      );
      return diff.includes('@@')
        ? diff
        : `# ${describeObject(
            p.desired,
          )}: only redacted Secret values change\n`;
    })
    .join('\n');
}

/** On a replaced Secret's backup manifest: the Secret its values are kept in. */
const VALUES_KEPT_IN_ANNOTATION = 'ingress-atlas.io/values-kept-in';
/** On the copy: the Secret whose values it keeps. */
const BACKUP_OF_ANNOTATION = 'ingress-atlas.io/backup-of';

/**
 * Where a Secret's values are kept before an action updates or deletes it: task output never
 * holds Secret values, so a copy in the Secret's namespace, named after the version replaced
 * (the same name when a resumed task gets there again).
 */
function secretCopy(secret: KubeObject): KubeObject {
  const { name, namespace, resourceVersion } = secret.metadata!;
  const suffix = `-backup-${resourceVersion}`;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${name!.slice(0, 253 - suffix.length)}${suffix}`,
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: { [BACKUP_OF_ANNOTATION]: name! },
    },
    // A copy of a token Secret must not become a token the cluster manages.
    type:
      secret.type === 'kubernetes.io/service-account-token'
        ? 'Opaque'
        : secret.type,
    data: secret.data ?? {},
  };
}

/**
 * The live objects a plan updates or deletes, as manifests: a Secret's values redacted, and
 * the copy that keeps them named.
 */
export function replacedManifests(plans: ObjectPlan[]): KubeObject[] {
  return plans
    .filter(p => p.action === 'update' || p.action === 'delete')
    .map(p => {
      const manifest = manifestOf(p.live!);
      if (manifest.kind === 'Secret') {
        manifest.metadata!.annotations = {
          ...manifest.metadata!.annotations,
          [VALUES_KEPT_IN_ANNOTATION]: describeObject(secretCopy(p.live!)),
        };
      }
      return manifest;
    });
}

/**
 * The live objects a plan updates, as YAML (Secret values redacted). Kept in a checkpoint:
 * a resumed task reports what was there before it, not what it wrote itself.
 */
export async function planBackup(
  ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'isDryRun'>,
  plans: ObjectPlan[],
  keyPrefix: string[],
): Promise<string> {
  const backup = async () => toYaml(replacedManifests(plans));
  if (ctx.isDryRun) {
    return backup();
  }
  return ctx.checkpoint({
    key: checkpointKey(...keyPrefix, 'backup'),
    fn: backup,
  });
}

const DONE = { create: 'Created', update: 'Updated', delete: 'Deleted' };

/**
 * One write of a plan, as a server-side apply as `ingress-atlas` (fields of other managers
 * stay), a create or a delete; with dryRun=All on the API server for a dry run.
 */
export async function writePlan(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'isDryRun'>,
  cluster: ConnectedCluster,
  plan: ObjectPlan,
): Promise<void> {
  const dryRun = Boolean(ctx.isDryRun);
  const what = describeObject(plan.desired);
  if (dryRun && plan.madeFirst) {
    // A dry run stores nothing, so the server would answer 404 for what goes into a namespace
    // or of a kind this run makes first; a real run makes them first.
    ctx.logger.info(
      `Dry run: ${what} would be created once ${plan.madeFirst}`,
      {
        cluster: cluster.name,
      },
    );
    return;
  }
  const { desired } = plan;
  if (plan.live?.kind === 'Secret' && plan.action !== 'create') {
    const copy = secretCopy(plan.live);
    await applyObject(cluster, copy, { dryRun });
    ctx.logger.info(
      `${
        dryRun ? 'Dry run accepted: ' : ''
      }Kept the values of ${what} in ${describeObject(copy)}`,
      { cluster: cluster.name },
    );
  }
  if (plan.action === 'delete') {
    const { namespace, name } = desired.metadata!;
    await deleteObject(
      cluster,
      {
        apiVersion: desired.apiVersion!,
        kind: desired.kind!,
        namespace,
        name: name!,
      },
      { dryRun },
    );
  } else if (plan.createOnly) {
    await createObject(cluster, desired, { dryRun });
  } else {
    await applyObject(cluster, desired, { dryRun });
  }
  ctx.logger.info(
    `${dryRun ? 'Dry run accepted: ' : ''}${
      DONE[plan.action as keyof typeof DONE]
    } ${what}`,
    { cluster: cluster.name },
  );
}

/** Logs each object a plan leaves as it is. */
export function logUnchanged(
  ctx: Pick<ActionContext<any, any>, 'logger'>,
  cluster: ConnectedCluster,
  plans: ObjectPlan[],
): void {
  for (const plan of plans.filter(p => p.action === 'unchanged')) {
    ctx.logger.info(`Unchanged: ${describeObject(plan.desired)}`, {
      cluster: cluster.name,
    });
  }
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
  for (const plan of plans.filter(p => p.action !== 'unchanged')) {
    const write = () => writePlan(ctx, cluster, plan);
    if (ctx.isDryRun) {
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
  logUnchanged(ctx, cluster, plans);
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
