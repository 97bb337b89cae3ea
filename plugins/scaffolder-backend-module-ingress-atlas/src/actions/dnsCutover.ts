import { isIPv4, isIPv6 } from 'node:net';
import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { RecordListItem } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_models';
import type { Clock } from '../clock';
import { diffText } from '../manifests';
import { TencentCloud, describeTencentError } from '../tencent';
import { readObject } from '../kube';
import {
  ActionOptions,
  Preflight,
  Zod,
  changeOutputs,
  checkpointKey,
  clusterInput,
  gatewayInput,
  namespaceInput,
  tencentCloudOf,
} from './common';
import { Parsed, createAtlasAction } from './runner';
import { confirmGatewayEips } from './gatewayEips';
import { ChangeStep, Step, WaitStep, foundBefore } from './steps';
import { checkedString, flagInput, optionalInput } from './inputs';
import { examples } from './dnsCutover.examples';

/** At most this many records per name: one per gateway pod. */
const MAX_VALUES = 50;

/** DNSPod's name for the default resolution line. */
const DEFAULT_LINE = '默认';
const HOSTNAME =
  /^(?=.{1,253}\.?$)([a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.?$/i;

function validateValue(type: string, value: string): void {
  const valid: Record<string, (v: string) => boolean> = {
    A: isIPv4,
    AAAA: isIPv6,
    CNAME: v => HOSTNAME.test(v),
  };
  if (!valid[type]?.(value)) {
    throw new InputError(
      `Invalid input to ingress-atlas:dns:cutover: value "${value}" is not a valid ${type} record target`,
    );
  }
}

/** How a record reads in diffs and backups: one line, zone-file style. */
function zoneFileLine(record: {
  name: string;
  domain: string;
  ttl?: number;
  type: string;
  line: string;
  value: string;
}) {
  const fqdn =
    record.name === '@' ? record.domain : `${record.name}.${record.domain}`;
  return `${fqdn}. ${record.ttl ?? ''} IN ${record.type} ${
    record.value
  } ; line ${record.line}\n`;
}

/** A record as it was before the task: what a rollback restores. */
interface PreviousRecord {
  recordId: number;
  value: string;
  ttl: number;
  status?: string;
  weight?: number;
}

/** One write to DNSPod; computed once from the records before the task, so a resume replays it. */
type RecordChange =
  | { op: 'modify'; recordId: number; from: string; value: string }
  | { op: 'create'; value: string }
  | { op: 'delete'; recordId: number; value: string };

/**
 * The writes that turn the records before the task into one record per wanted value: a record
 * already holding a wanted value stays (its TTL set), the others are pointed at the remaining
 * values, and what is left over is created or deleted. Deletions go last, so the name never
 * resolves to nothing.
 */
function planRecordChanges(
  previous: PreviousRecord[],
  values: string[],
  ttl: number,
): RecordChange[] {
  const kept = new Set<number>();
  const placed = new Set<string>();
  for (const record of previous) {
    if (values.includes(record.value) && !placed.has(record.value)) {
      kept.add(record.recordId);
      placed.add(record.value);
    }
  }
  const spare = previous.filter(r => !kept.has(r.recordId));
  const missing = values.filter(v => !placed.has(v));
  const changes: RecordChange[] = previous
    .filter(r => kept.has(r.recordId) && r.ttl !== ttl)
    .map(r => ({
      op: 'modify',
      recordId: r.recordId,
      from: r.value,
      value: r.value,
    }));
  missing.forEach((value, i) => {
    const record = spare[i];
    changes.push(
      record
        ? { op: 'modify', recordId: record.recordId, from: record.value, value }
        : { op: 'create', value },
    );
  });
  for (const record of spare.slice(missing.length)) {
    changes.push({
      op: 'delete',
      recordId: record.recordId,
      value: record.value,
    });
  }
  return changes;
}

const inputSchema = {
  domain: (z: Zod) =>
    checkedString(z, 'dnsSubdomain', 'The DNSPod domain, e.g. example.com'),
  subDomain: (z: Zod) =>
    checkedString(
      z,
      'subDomain',
      'The record name within the domain, e.g. blog; @ for the apex',
    ),
  values: (z: Zod) =>
    z
      .array(
        checkedString(
          z,
          'address',
          'An address (an IP for A/AAAA, a host name for CNAME)',
        ),
        {
          description:
            'The new addresses, one record each: every gateway pod EIP. A CNAME takes one',
        },
      )
      .min(1)
      .max(MAX_VALUES)
      .optional(),
  value: optionalInput(
    'address',
    'One new address; the same as values with one item',
  ),
  gateway: (z: Zod) =>
    z
      .object(
        {
          cluster: clusterInput(z),
          namespace: namespaceInput(z),
          name: gatewayInput('The gateway StatefulSet')(z),
        },
        {
          description:
            "Instead of values: the EIPs of every pod of a gateway StatefulSet (bind-eip's), read when the task runs, so that a run after scaling publishes each pod's EIP",
        },
      )
      .optional(),
  recordType: (z: Zod) =>
    z.enum(['A', 'AAAA', 'CNAME'], { description: 'Default: A' }).default('A'),
  ttl: (z: Zod) =>
    z
      .number({
        description:
          'TTL in seconds, sent with every change (DNSPod resets an omitted TTL). Default: the current TTL, or 600',
      })
      .int()
      .min(1)
      .max(604800)
      .optional(),
  waitForCaches: flagInput(
    'Wait out the TTL resolvers cached before each change (after lowering it, and after the move), so that the step ends when no resolver hands out the old addresses any more and the old load balancer can go. Default: true',
    true,
  ),
  recordLine: (z: Zod) =>
    checkedString(
      z,
      'recordLine',
      `Resolution line. Default: ${DEFAULT_LINE} (the default line)`,
    ).default(DEFAULT_LINE),
  account: optionalInput(
    'configName',
    'The Tencent Cloud account from ingressAtlas.providers.tencent. Default: the first one',
  ),
};

type Input = Parsed<typeof inputSchema>;

/**
 * The EIPs of every pod of a gateway StatefulSet, as the cluster's cloud account confirms them
 * bound: a pod annotation alone never decides where a name points.
 */
async function gatewayEipValues(
  options: ActionOptions,
  gateway: NonNullable<Input['gateway']>,
  preflight: Preflight,
): Promise<string[]> {
  const cluster = await options.clusters.connect(gateway.cluster);
  const { confirmed } = await confirmGatewayEips({
    cluster,
    cloud: tencentCloudOf(cluster),
    statefulSet: await readObject(cluster, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      namespace: gateway.namespace,
      name: gateway.name,
    }),
    preflight,
  });
  return confirmed;
}

/** The addresses to point at, each checked against the record type. */
function valuesOf(input: Input, fromGateway: string[] = []): string[] {
  const values = [
    ...new Set([
      ...(input.values ?? []),
      ...(input.value ? [input.value] : []),
      ...fromGateway,
    ]),
  ];
  if (values.length === 0 && !input.gateway) {
    throw new InputError(
      'Invalid input to ingress-atlas:dns:cutover: values: give at least one address, or a gateway',
    );
  }
  if (input.recordType === 'CNAME' && values.length > 1) {
    throw new InputError(
      'Invalid input to ingress-atlas:dns:cutover: values: a CNAME record takes one host name',
    );
  }
  values.forEach(v => validateValue(input.recordType, v));
  return values;
}

/** The records of one name, type and line in DNSPod. */
class DnsName {
  readonly fqdn: string;
  readonly #dnspod: ReturnType<TencentCloud['dnspod']>;
  readonly #input: Input;
  readonly #logger: LoggerService;

  constructor(
    dnspod: ReturnType<TencentCloud['dnspod']>,
    input: Input,
    logger: LoggerService,
  ) {
    this.#dnspod = dnspod;
    this.#input = input;
    this.#logger = logger;
    const { domain, subDomain } = input;
    this.fqdn = subDomain === '@' ? domain : `${subDomain}.${domain}`;
  }

  async read(): Promise<RecordListItem[]> {
    const { domain, subDomain, recordType, recordLine } = this.#input;
    try {
      const { RecordList = [] } = await this.#dnspod.DescribeRecordList({
        Domain: domain,
        Subdomain: subDomain,
        RecordType: recordType,
        RecordLine: recordLine,
        ErrorOnEmpty: 'no',
      });
      return RecordList.filter(r => r.Name === subDomain).sort(
        (a, b) => a.RecordId! - b.RecordId!,
      );
    } catch (error) {
      throw new InputError(
        `Reading the ${recordType} records of ${
          this.fqdn
        } failed: ${describeTencentError(error)}`,
      );
    }
  }

  /** Records as diffs and comparisons show them: zone-file lines, sorted. */
  zoneLines(records: Array<{ value: string; ttl: number }>): string {
    const {
      domain,
      subDomain,
      recordType: type,
      recordLine: line,
    } = this.#input;
    return records
      .map(r =>
        zoneFileLine({
          name: subDomain,
          domain,
          ttl: r.ttl,
          type,
          line,
          value: r.value,
        }),
      )
      .sort()
      .join('');
  }

  /**
   * One write, made safe to repeat: a worker lost between the call and its checkpoint runs
   * it again, so a record already as wanted is left alone.
   */
  async write(
    change: RecordChange,
    ttl: number,
    previous: PreviousRecord[],
  ): Promise<void> {
    const { domain, subDomain, recordType, recordLine } = this.#input;
    const now = await this.read();
    const wanted = (value: string) => ({
      Domain: domain,
      SubDomain: subDomain,
      RecordType: recordType,
      RecordLine: recordLine,
      Value: value,
      TTL: ttl,
    });
    try {
      if (change.op === 'create') {
        if (!now.some(r => r.Value === change.value)) {
          await this.#dnspod.CreateRecord(wanted(change.value));
        }
      } else if (change.op === 'modify') {
        const record = previous.find(r => r.recordId === change.recordId)!;
        const stored = now.find(r => r.RecordId === change.recordId);
        if (stored?.Value !== change.value || stored?.TTL !== ttl) {
          await this.#dnspod.ModifyRecord({
            ...wanted(change.value),
            RecordId: change.recordId,
            ...(record.status && { Status: record.status }),
            ...(record.weight !== undefined && { Weight: record.weight }),
          });
        }
      } else if (now.some(r => r.RecordId === change.recordId)) {
        await this.#dnspod.DeleteRecord({
          Domain: domain,
          RecordId: change.recordId,
        });
      }
    } catch (error) {
      throw new Error(
        `${change.op} of the ${recordType} record ${this.fqdn} ${
          change.value
        } failed: ${describeTencentError(error)}`,
      );
    }
    this.#logger.info(describeChange(this.fqdn, change, ttl));
  }

  /** The records after the move: exactly the values, each with the TTL. */
  async check(
    values: string[],
    ttl: number,
  ): Promise<Array<{ recordId: number; value: string }>> {
    const records = await this.read();
    const listed = records.map(r => r.Value!).sort();
    const wrong = records.filter(r => r.TTL !== ttl);
    if (listed.join(',') !== [...values].sort().join(',') || wrong.length > 0) {
      throw new Error(
        `DNSPod lists ${listed.join(', ') || 'nothing'} for ${
          this.fqdn
        } (TTLs ${records.map(r => r.TTL).join(', ')}), not ${values.join(
          ', ',
        )} with TTL ${ttl}: someone else changed the records meanwhile. Check them before removing the old load balancer`,
      );
    }
    this.#logger.info(
      `DNSPod lists ${listed.join(', ')} for ${this.fqdn} with TTL ${ttl}`,
    );
    return records.map(r => ({ recordId: r.RecordId!, value: r.Value! }));
  }
}

function describeChange(fqdn: string, change: RecordChange, ttl: number) {
  return change.op === 'modify' && change.from !== change.value
    ? `Record ${change.recordId} of ${fqdn}: ${change.from} -> ${change.value} (TTL ${ttl})`
    : `Record ${fqdn} ${change.value}: ${change.op} (TTL ${ttl})`;
}

/**
 * Waits `seconds` from the first time the task got here (after saying what is `done`): the end is kept in a checkpoint, so
 * a task resumed after a restart waits only what is left.
 */
function cacheWait(
  ctx: Pick<
    ActionContext<Input, any>,
    'checkpoint' | 'logger' | 'signal' | 'input'
  >,
  clock: Clock,
  wait: { key: string; seconds: number; why: string; done?: string },
): WaitStep {
  const { key, seconds, why } = wait;
  return {
    waitFor: `${seconds}s ${why}`,
    wait: async () => {
      if (wait.done) {
        ctx.logger.info(wait.done);
      }
      if (!ctx.input.waitForCaches) {
        ctx.logger.warn(`Not waiting ${seconds}s ${why}: waitForCaches is off`);
        return;
      }
      const { until } = await ctx.checkpoint({
        key,
        fn: async () => ({ until: clock.now() + seconds * 1000 }),
      });
      const left = until - clock.now();
      if (left > 0) {
        ctx.logger.info(
          `Waiting ${Math.ceil(left / 1000)}s ${why} (until ${new Date(
            until,
          ).toISOString()})`,
        );
        await clock.sleep(left, ctx.signal);
      }
    },
  };
}

/**
 * The cutover in steps: the TTL lowered ahead of a move, and waited out (resolvers keep an
 * answer for the TTL it came with, so the old addresses then outlive the move by the lowered
 * TTL instead of the old one); each record write; then the TTL in effect waited out.
 */
function cutoverSteps(
  ctx: Parameters<typeof cacheWait>[0],
  name: DnsName,
  plan: {
    previous: PreviousRecord[];
    values: string[];
    ttl: number;
    clock: Clock;
  },
): Step[] {
  const { previous, values, ttl, clock } = plan;
  const { domain, subDomain, recordType, recordLine: line } = ctx.input;
  const key = (...step: string[]) =>
    checkpointKey('dns.cutover', domain, subDomain, recordType, line, ...step);
  const previousTtl = Math.max(...previous.map(r => r.ttl));
  const changes = planRecordChanges(previous, values, ttl);
  const moves = changes.some(c => c.op !== 'modify' || c.from !== c.value);
  const lowered = moves ? previous.filter(r => r.ttl > ttl) : [];
  const write = (stepName: string, change: RecordChange): ChangeStep => ({
    name: stepName,
    call: {
      what: describeChange(name.fqdn, change, ttl).replace(
        /^Record/,
        'write record',
      ),
      run: () => name.write(change, ttl, previous),
    },
  });
  const steps: Step[] = lowered.map(record =>
    write(`lower-ttl.${record.recordId}`, {
      op: 'modify',
      recordId: record.recordId,
      from: record.value,
      value: record.value,
    }),
  );
  if (lowered.length > 0) {
    steps.push(
      cacheWait(ctx, clock, {
        key: key('wait', 'lowered-ttl'),
        seconds: previousTtl,
        why: `for resolvers to drop the ${previousTtl}s TTL before the move`,
      }),
    );
  }
  steps.push(
    ...changes.map((change, i) => write(`records.${i}.${change.op}`, change)),
  );
  if (moves) {
    const ttlBeforeMove = lowered.length > 0 ? ttl : previousTtl;
    const previousValues = previous.map(r => r.value).join(', ');
    steps.push(
      cacheWait(ctx, clock, {
        key: key('wait', 'after-change'),
        done: `Moved ${name.fqdn} from ${previousValues} to ${values.join(
          ', ',
        )} (TTL ${ttl}); resolvers may serve the old addresses for up to ${ttlBeforeMove}s`,
        seconds: ttlBeforeMove,
        why: `until no resolver serves ${previousValues} any more`,
      }),
    );
  }
  return steps;
}

/** The DNSPod name of the input, read and written with the Tencent Cloud account it names. */
function dnsNameOf(
  options: ActionOptions,
  ctx: Pick<ActionContext<Input, any>, 'input' | 'logger'>,
): DnsName {
  const account = options.clusters.tencentAccount({ name: ctx.input.account });
  if (!account) {
    throw new InputError(
      'No Tencent Cloud account is configured in ingressAtlas.providers.tencent',
    );
  }
  return new DnsName(new TencentCloud(account).dnspod(), ctx.input, ctx.logger);
}

/**
 * The records as they are (the preflight wants at least one to move) and as they were before
 * the task: a resumed task finds them already moved, and keeps what it found first.
 */
async function recordsBefore(
  ctx: Parameters<typeof foundBefore>[0] &
    Pick<ActionContext<Input, any>, 'input'>,
  name: DnsName,
  key: string[],
  preflight: Preflight,
): Promise<{ current: PreviousRecord[]; previous: PreviousRecord[] }> {
  const { recordType, recordLine: line } = ctx.input;
  const live = await name.read();
  preflight.check(
    live.length > 0,
    `${recordType} records ${name.fqdn} on line ${line}: ${live
      .map(r => `${r.Value} (TTL ${r.TTL}, id ${r.RecordId})`)
      .join(', ')}`,
    `there is no ${recordType} record ${name.fqdn} on line ${line} to move; create it in DNSPod first`,
  );
  preflight.done();
  const current: PreviousRecord[] = live.map(record => ({
    recordId: record.RecordId!,
    value: record.Value!,
    ttl: record.TTL ?? 600,
    ...(record.Status && { status: record.Status }),
    ...(record.Weight !== undefined && { weight: record.Weight }),
  }));
  const { records: previous } = await foundBefore(
    ctx,
    checkpointKey(...key, 'previous'),
    { records: current },
  );
  return { current, previous };
}

/** The records as they are at the end. */
function outputRecords(
  ctx: Pick<ActionContext<Input, any>, 'output'>,
  records: Array<{ recordId: number; value: string }>,
  ttl: number,
) {
  ctx.output(
    'recordIds',
    records.map(r => r.recordId),
  );
  ctx.output(
    'values',
    records.map(r => r.value),
  );
  ctx.output('value', records[0]?.value ?? '');
  ctx.output('ttl', ttl);
}

/** The values before the task, and this action's input that restores them. */
function outputRollback(
  ctx: Pick<ActionContext<Input, any>, 'input' | 'output'>,
  previous: PreviousRecord[],
) {
  const { domain, subDomain, recordType, recordLine } = ctx.input;
  const previousValues = previous.map(r => r.value);
  const previousTtl = Math.max(...previous.map(r => r.ttl));
  ctx.output('previousValues', previousValues);
  ctx.output('previousValue', previousValues[0]);
  ctx.output('previousTtl', previousTtl);
  ctx.output('rollback', {
    domain,
    subDomain,
    recordType,
    recordLine,
    values: previousValues,
    ttl: previousTtl,
  });
}

/**
 * Points a DNSPod name at new addresses, one record per address, keeping the old ones for a
 * rollback.
 *
 * @public
 */
export function createDnsCutoverAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:dns:cutover',
    description:
      'Points a DNSPod name at new addresses, one record per address (DescribeRecordList, then ModifyRecord, CreateRecord and DeleteRecord with the TTL sent every time); outputs the previous values for a rollback.',
    examples,
    schema: {
      input: inputSchema,
      output: {
        recordIds: z =>
          z.array(z.number(), { description: 'The DNSPod record ids now' }),
        previousValues: z =>
          z.array(z.string(), { description: 'The values before the cutover' }),
        previousValue: z =>
          z.string({ description: 'The first value before the cutover' }),
        previousTtl: z =>
          z.number({ description: 'The TTL before the cutover' }),
        values: z => z.array(z.string(), { description: 'The values now' }),
        value: z => z.string({ description: 'The first value now' }),
        ttl: z => z.number({ description: 'The TTL now' }),
        rollback: z =>
          z
            .object({
              domain: z.string(),
              subDomain: z.string(),
              recordType: z.string(),
              recordLine: z.string(),
              values: z.array(z.string()),
              ttl: z.number(),
            })
            .describe(
              'Input for this action that restores the previous values',
            ),
        ...changeOutputs,
      },
    },
    intent: input => {
      const fqdn =
        input.subDomain === '@'
          ? input.domain
          : `${input.subDomain}.${input.domain}`;
      const values = input.gateway
        ? [
            `the pod EIPs of ${input.gateway.namespace}/${input.gateway.name} on ${input.gateway.cluster}`,
          ]
        : input.values ?? (input.value ? [input.value] : []);
      return `point ${fqdn} (${input.recordType}, line ${
        input.recordLine
      }) at ${values.join(', ')}`;
    },
    async plan(ctx, { preflight, clock }) {
      const { domain, subDomain, recordType, recordLine: line } = ctx.input;
      if (ctx.input.gateway && (ctx.input.values || ctx.input.value)) {
        throw new InputError(
          'Invalid input to ingress-atlas:dns:cutover: give values (or value) or gateway, not both',
        );
      }
      const key = ['dns.cutover', domain, subDomain, recordType, line];
      // A resumed task moves the records to the addresses it found first, not to those of
      // pods that came or went since: its steps are keyed by record.
      const { values } = await foundBefore(
        ctx,
        checkpointKey(...key, 'values'),
        {
          values: valuesOf(
            ctx.input,
            ctx.input.gateway
              ? await gatewayEipValues(options, ctx.input.gateway, preflight)
              : [],
          ),
        },
      );
      const name = dnsNameOf(options, ctx);
      const { current, previous } = await recordsBefore(
        ctx,
        name,
        key,
        preflight,
      );
      const previousTtl = Math.max(...previous.map(r => r.ttl));
      const ttl = ctx.input.ttl ?? previousTtl;
      const after = name.zoneLines(values.map(value => ({ value, ttl })));
      // Compared with the records before the task: a resumed task that finds the records moved
      // still has its waits and checks to finish.
      // A dry run before the gateway's pods hold EIPs has nothing to point at (a real run
      // refuses in its preflight): it changes nothing rather than preview deleting the records.
      const unchanged =
        values.length === 0 || name.zoneLines(previous) === after;
      outputRollback(ctx, previous);
      return {
        key,
        steps: unchanged
          ? []
          : cutoverSteps(ctx, name, { previous, values, ttl, clock }),
        diff: unchanged
          ? ''
          : diffText(`DNSPod ${name.fqdn}`, name.zoneLines(current), after),
        backup: [
          { domain, subDomain, type: recordType, line, records: previous },
        ],
        inPlace: `${name.fqdn} already points at ${values.join(
          ', ',
        )} with TTL ${ttl}`,
        finish: async ({ changed }) => {
          if (!changed || ctx.isDryRun) {
            outputRecords(ctx, current, previousTtl);
          } else {
            outputRecords(ctx, await name.check(values, ttl), ttl);
          }
        },
      };
    },
  });
}
