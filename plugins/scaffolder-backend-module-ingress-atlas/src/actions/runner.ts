import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import {
  ActionContext,
  TemplateAction,
  TemplateExample,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { ingressAtlasMigratePermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  INGRESS_ATLAS_CHANGES_TOPIC,
  IngressAtlasChanges,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { z } from 'zod/v3';
import { Clock, systemClock } from '../clock';
import type { ConnectedCluster } from '../clusters';
import { requirePermission } from '../permissions';
import { KubeObject, ObjectRef, fieldManagerOf, removeMapKeys } from '../kube';
import { ReachabilityProbe, tcpProbe } from '../reachability';
import { carryOut, checkManagedByUs, planObjects } from './applyObjects';
import { ActionOptions, Preflight, Zod, checkpointKey } from './common';
import { StepChange, carryOutSteps } from './steps';

type FieldSchemas = { [field: string]: (zImpl: Zod) => z.ZodType };

/** Spelled out as a plain object type, so declarations of actions need no zod types. */
type Expand<T> = T extends infer U ? { [K in keyof U]: U[K] } : never;

/** An action's input or output after its schema: defaults applied. */
export type Parsed<S extends FieldSchemas> = {
  [K in keyof S]: z.output<ReturnType<S[K]>>;
};

/** An action's input as a task gives it: fields with defaults may be left out. */
export type Given<S extends FieldSchemas> = {
  [K in keyof S as undefined extends z.input<ReturnType<S[K]>>
    ? never
    : K]: z.input<ReturnType<S[K]>>;
} & {
  [K in keyof S as undefined extends z.input<ReturnType<S[K]>>
    ? K
    : never]?: z.input<ReturnType<S[K]>>;
};

/** The cluster an action works on, when its input names one in `cluster`. */
type ClusterOf<S extends FieldSchemas> = 'cluster' extends keyof S
  ? ConnectedCluster
  : undefined;

/**
 * What an action works on: its cluster (when its input names one), the preflight its checks
 * go into, and the clock and probe of the plugin's options (or the system's and TCP).
 */
export interface ActionTarget<I extends FieldSchemas> {
  cluster: ClusterOf<I>;
  preflight: Preflight;
  clock: Clock;
  probe: ReachabilityProbe;
}

/** The change an action plans: the runner diffs, backs up and applies it. */
export interface ObjectChange {
  /** The objects as they should be: created, or applied over the live ones. */
  objects: KubeObject[];
  /**
   * Where the objects go when not to the action's cluster: e.g. the ASM instance that keeps
   * the Istio configuration of an ASM data-plane cluster.
   */
  cluster?: ConnectedCluster;
  /** Refuse objects that exist already and were not created by an earlier run. */
  onlyOurs?: boolean;
  /** Checkpoint keys of this change: unique per action and target within a task. */
  key: string[];
  /** What is said when everything is in place already. */
  inPlace: string;
  /**
   * Map keys others set that the change must remove (server-side apply keeps fields it does
   * not own): removed with a merge patch right after the objects are applied.
   */
  removeKeys?: Array<{ object: ObjectRef; path: string[]; keys: string[] }>;
}

type RunContext<I extends FieldSchemas, O extends FieldSchemas> = ActionContext<
  Parsed<I>,
  Parsed<O>
>;

interface SpecBase<I extends FieldSchemas, O extends FieldSchemas> {
  id: string;
  description: string;
  examples: TemplateExample[];
  schema: { input: I; output: O };
  /** What the initiator of the task must hold. Default: the right to migrate. */
  permission?: BasicPermission;
  /**
   * Input fields that name clusters of `ingressAtlas.clusters` besides `cluster`; an unknown
   * name is refused with the field's name before anything is called.
   */
  clusterFields?: Array<keyof I & string>;
  /**
   * What the action is about to do, e.g. "enable HTTPS for blog.example.com on ...": the
   * preflight refuses with it ("Refusing to ...; nothing was changed").
   */
  intent(input: Parsed<I>): string;
}

/**
 * An action that changes objects of its cluster: `plan` checks what it needs (into
 * `preflight`, which refuses before anything changes) and returns the objects; the runner
 * diffs them against the cluster, keeps a backup of what they replace, and applies them, one
 * checkpoint per object. A change that waits or calls a cloud between its writes comes in
 * ordered steps (`StepChange`), one checkpoint per step.
 */
interface PlanSpec<I extends FieldSchemas, O extends FieldSchemas>
  extends SpecBase<I, O> {
  plan(
    ctx: RunContext<I, O>,
    target: ActionTarget<I>,
  ): Promise<ObjectChange | StepChange>;
}

/**
 * An action that changes nothing: `check` adds its findings to `preflight`, and the runner
 * refuses if one failed.
 */
interface CheckSpec<I extends FieldSchemas, O extends FieldSchemas>
  extends SpecBase<I, O> {
  check(ctx: RunContext<I, O>, target: ActionTarget<I>): Promise<void>;
}

export type AtlasActionSpec<I extends FieldSchemas, O extends FieldSchemas> =
  | PlanSpec<I, O>
  | CheckSpec<I, O>;

async function carryOutPlan<I extends FieldSchemas, O extends FieldSchemas>(
  spec: PlanSpec<I, O>,
  ctx: RunContext<I, O>,
  target: ActionTarget<I>,
): Promise<string[]> {
  const { cluster, preflight } = target;
  const change = await spec.plan(ctx, target);
  if ('steps' in change) {
    preflight.done();
    await carryOutSteps(ctx, cluster, change);
    return [];
  }
  await carryOutObjectChange(
    ctx,
    change.cluster ?? cluster!,
    change,
    preflight,
  );
  return change.cluster ? [change.cluster.name] : [];
}

async function carryOutObjectChange(
  ctx: RunContext<any, any>,
  cluster: ConnectedCluster,
  change: ObjectChange,
  preflight: Preflight,
): Promise<void> {
  if (preflight.failed) {
    // Refuse on what the plan found before asking the server about objects built from it.
    preflight.done();
  }
  const plans = await planObjects(cluster, change.objects);
  if (change.onlyOurs) {
    checkManagedByUs(plans, preflight);
  }
  preflight.done();
  const removals = (change.removeKeys ?? []).filter(r => r.keys.length > 0);
  for (const removal of removals) {
    // The diff shows the object as it will be once the keys are gone too.
    const plan = plans.find(
      p =>
        p.desired.kind === removal.object.kind &&
        p.desired.metadata?.name === removal.object.name &&
        p.desired.metadata?.namespace === removal.object.namespace,
    );
    if (plan?.action === 'unchanged') {
      Object.assign(plan, { action: 'update', after: plan.live });
    }
    const map = removal.path.reduce<any>(
      (value, field) => value?.[field],
      plan?.after,
    );
    removal.keys.forEach(key => delete map?.[key]);
  }
  const changed = await carryOut(ctx, cluster, plans, change.key);
  for (const removal of removals) {
    const { object, path, keys } = removal;
    const remove = async () => {
      await removeMapKeys(cluster, object, path, keys, {
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run accepted: ' : ''}Removed ${path.join(
          '.',
        )} ${keys.join(', ')} of ${object.kind} ${object.namespace}/${
          object.name
        }`,
        { cluster: cluster.name },
      );
    };
    if (ctx.isDryRun) {
      await remove();
    } else {
      await ctx.checkpoint({
        key: checkpointKey(
          ...change.key,
          'remove-keys',
          object.kind,
          object.namespace ?? '',
          object.name,
        ),
        fn: remove,
      });
    }
  }
  if (!changed && removals.length === 0) {
    ctx.logger.info(`Nothing to change: ${change.inPlace}`);
  }
}

/**
 * Checks an action's input against its own schema, so a handler called with unchecked input
 * (a task created before a schema tightened, a test) still refuses bad values before any cluster
 * or cloud call, naming each field. Values are not echoed: they may be long or hold control
 * characters.
 */
export function parseInput<I extends FieldSchemas>(
  actionId: string,
  schema: I,
  input: unknown,
): Parsed<I> {
  const object = z.object(
    Object.fromEntries(
      Object.entries(schema).map(([field, build]) => [field, build(z)]),
    ),
  );
  const result = object.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      issue => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
    throw new InputError(
      `Invalid input to ${actionId}: ${[...new Set(problems)].join('; ')}`,
    );
  }
  return result.data as Parsed<I>;
}

/**
 * One action as every Ingress Atlas action runs: validate the input (defaults applied), check
 * the initiator's permission, refuse unknown clusters, connect to the cluster, then `run`.
 * Dry runs are supported by every action: each one computes its plan and sends its writes with
 * `dryRun=All`.
 */
export function createAtlasAction<
  I extends FieldSchemas,
  O extends FieldSchemas,
>(
  options: ActionOptions,
  spec: AtlasActionSpec<I, O>,
): TemplateAction<Expand<Given<I>>, Expand<Parsed<O>>, 'v2'> {
  const { clusters, permissions } = options;
  const clock = options.clock ?? systemClock;
  const probe = options.probe ?? tcpProbe();
  const action = createTemplateAction({
    id: spec.id,
    description: spec.description,
    examples: spec.examples,
    supportsDryRun: true,
    schema: spec.schema,
    async handler(ctx) {
      try {
        await runAction(ctx);
      } catch (error) {
        throw forTaskLog(error, spec.id, options);
      }
    },
  });
  /** Validate, authorize, connect, preflight, then the action's own part. */
  async function runAction(ctx: ActionContext<any, any>) {
    const input = parseInput(spec.id, spec.schema.input, ctx.input);
    // Before the cluster names: whoever may not run the action need not learn them.
    await requirePermission(
      ctx,
      permissions,
      spec.permission ?? ingressAtlasMigratePermission,
    );
    const known = new Set(clusters.names());
    // Each field that names a cluster, with the name given.
    const named = ['cluster', ...(spec.clusterFields ?? [])].flatMap(field => {
      const name = (input as Record<string, unknown>)[field];
      return typeof name === 'string' ? [{ field, name }] : [];
    });
    // Every field with an unknown name at once, as input validation names every bad field.
    const unknown = named.filter(({ name }) => !known.has(name));
    if (unknown.length > 0) {
      throw new InputError(
        `Invalid input to ${spec.id}: ${unknown
          .map(({ field, name }) => `${field}: Unknown cluster "${name}"`)
          .join('; ')}; configured clusters: ${
          [...known].join(', ') || 'none'
        }`,
      );
    }
    const name = (input as Record<string, unknown>).cluster;
    const cluster =
      typeof name === 'string'
        ? await clusters.connect(name, {
            fieldManager: fieldManagerOf(spec.id),
          })
        : undefined;
    const runContext = { ...ctx, input } as unknown as RunContext<I, O>;
    const preflight = new Preflight(spec.intent(input as any), ctx.logger, {
      dryRun: ctx.isDryRun,
    });
    const target = {
      cluster: cluster as ClusterOf<I>,
      preflight,
      clock,
      probe,
    };
    if ('plan' in spec) {
      const alsoChanged = await carryOutPlan(spec, runContext, target);
      if (!ctx.isDryRun) {
        await announceChanges(
          spec.id,
          [...new Set([...named.map(n => n.name), ...alsoChanged])],
          options,
        );
      }
    } else {
      await spec.check(runContext, target);
      preflight.done();
    }
  }
  // The scaffolder's own type says the handler receives parsed input; it receives what the task
  // gave, which `parseInput` turns into that.
  return action as unknown as TemplateAction<
    Expand<Given<I>>,
    Expand<Parsed<O>>,
    'v2'
  >;
}

/**
 * Tells the atlas what a real run changed, so it reads the cloud again and publishes at once.
 * A failure to tell it only delays the atlas to its next refresh: the run succeeded.
 */
async function announceChanges(
  action: string,
  clusters: string[],
  options: ActionOptions,
): Promise<void> {
  const eventPayload: IngressAtlasChanges = { action, clusters };
  try {
    await options.events?.publish({
      topic: INGRESS_ATLAS_CHANGES_TOPIC,
      eventPayload,
    });
  } catch (error) {
    options.logger?.warn(
      `Could not tell the atlas about the changes of ${action}; it shows them after its next refresh`,
      { error: (error as Error).message },
    );
  }
}

/** Errors an action raises on purpose: their message says all there is. */
const EXPECTED = [InputError, NotAllowedError, ConflictError];

/**
 * The error as the task log shows it. The scaffolder writes a failed step's `error.stack` into
 * the task log, where its frames would name the backend's files: the task gets the message
 * only. An unexpected failure (not an input, permission or preflight refusal, nor an API
 * server's answer) keeps its stack in the backend's own log.
 */
function forTaskLog(
  error: unknown,
  actionId: string,
  options: ActionOptions,
): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const expected =
    EXPECTED.some(type => failure instanceof type) ||
    typeof (failure as { code?: unknown }).code === 'number';
  if (!expected) {
    options.logger?.error(`Scaffolder action ${actionId} failed`, failure);
  }
  const shown = Object.assign(
    Object.create(Object.getPrototypeOf(failure)),
    failure,
  ) as Error;
  Object.defineProperty(shown, 'message', {
    value: failure.message,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(shown, 'stack', {
    value: `${failure.name}: ${failure.message}`,
    configurable: true,
    writable: true,
  });
  delete (shown as { cause?: unknown }).cause;
  return shown;
}
