import { isIPv4, isIPv6 } from 'node:net';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/config';
import { stringify } from 'yaml';
import type { RecordListItem } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_models';
import { systemClock } from '../clock';
import { diffText } from '../manifests';
import { TencentCloud, describeTencentError } from '../tencent';
import { ActionOptions, changeOutputs, checkpointKey } from './common';
import { createAtlasAction } from './runner';
import { checkedString } from './inputs';
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
function recordLine(record: {
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

/**
 * Points a DNSPod name at new addresses, one record per address, keeping the old ones for a
 * rollback.
 *
 * @public
 */
export function createDnsCutoverAction(options: ActionOptions) {
  const clock = options.clock ?? systemClock;
  return createAtlasAction(options, {
    id: 'ingress-atlas:dns:cutover',
    description:
      'Points a DNSPod name at new addresses, one record per address (DescribeRecordList, then ModifyRecord, CreateRecord and DeleteRecord with the TTL sent every time); outputs the previous values for a rollback.',
    examples,
    schema: {
      input: {
        domain: z =>
          checkedString(
            z,
            'dnsSubdomain',
            'The DNSPod domain, e.g. example.com',
          ),
        subDomain: z =>
          checkedString(
            z,
            'subDomain',
            'The record name within the domain, e.g. blog; @ for the apex',
          ),
        values: z =>
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
        value: z =>
          checkedString(
            z,
            'address',
            'One new address; the same as values with one item',
          ).optional(),
        recordType: z =>
          z
            .enum(['A', 'AAAA', 'CNAME'], { description: 'Default: A' })
            .default('A'),
        ttl: z =>
          z
            .number({
              description:
                'TTL in seconds, sent with every change (DNSPod resets an omitted TTL). Default: the current TTL, or 600',
            })
            .int()
            .min(1)
            .max(604800)
            .optional(),
        waitForCaches: z =>
          z
            .boolean({
              description:
                'Wait out the TTL resolvers cached before each change (after lowering it, and after the move), so that the step ends when no resolver hands out the old addresses any more and the old load balancer can go. Default: true',
            })
            .default(true),
        recordLine: z =>
          checkedString(
            z,
            'recordLine',
            `Resolution line. Default: ${DEFAULT_LINE} (the default line)`,
          ).default(DEFAULT_LINE),
        account: z =>
          checkedString(
            z,
            'configName',
            'The Tencent Cloud account from ingressAtlas.providers.tencent. Default: the first one',
          ).optional(),
      },
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
      const values = input.values ?? (input.value ? [input.value] : []);
      return `point ${fqdn} (${input.recordType}, line ${
        input.recordLine
      }) at ${values.join(', ')}`;
    },
    async run(ctx, { preflight }) {
      const { domain, subDomain, recordType, recordLine: line } = ctx.input;
      const values = [
        ...new Set([
          ...(ctx.input.values ?? []),
          ...(ctx.input.value ? [ctx.input.value] : []),
        ]),
      ];
      if (values.length === 0) {
        throw new InputError(
          'Invalid input to ingress-atlas:dns:cutover: values: give at least one address',
        );
      }
      if (recordType === 'CNAME' && values.length > 1) {
        throw new InputError(
          'Invalid input to ingress-atlas:dns:cutover: values: a CNAME record takes one host name',
        );
      }
      values.forEach(v => validateValue(recordType, v));
      const dryRun = Boolean(ctx.isDryRun);
      const account = options.clusters.tencentAccount({
        name: ctx.input.account,
      });
      if (!account) {
        throw new InputError(
          'No Tencent Cloud account is configured in ingressAtlas.providers.tencent',
        );
      }
      const dnspod = new TencentCloud(account).dnspod();
      const fqdn = subDomain === '@' ? domain : `${subDomain}.${domain}`;

      const readRecords = async (): Promise<RecordListItem[]> => {
        try {
          const { RecordList = [] } = await dnspod.DescribeRecordList({
            Domain: domain,
            Subdomain: subDomain,
            RecordType: recordType,
            RecordLine: line,
            ErrorOnEmpty: 'no',
          });
          return RecordList.filter(r => r.Name === subDomain).sort(
            (a, b) => a.RecordId! - b.RecordId!,
          );
        } catch (error) {
          throw new InputError(
            `Reading the ${recordType} records of ${fqdn} failed: ${describeTencentError(
              error,
            )}`,
          );
        }
      };
      const live = await readRecords();
      preflight.check(
        live.length > 0,
        `${recordType} records ${fqdn} on line ${line}: ${live
          .map(r => `${r.Value} (TTL ${r.TTL}, id ${r.RecordId})`)
          .join(', ')}`,
        `there is no ${recordType} record ${fqdn} on line ${line} to move; create it in DNSPod first`,
      );
      preflight.done();

      const stepKey = (...step: string[]) =>
        checkpointKey(
          'dns.cutover',
          domain,
          subDomain,
          recordType,
          line,
          ...step,
        );
      const current: PreviousRecord[] = live.map(record => ({
        recordId: record.RecordId!,
        value: record.Value!,
        ttl: record.TTL ?? 600,
        ...(record.Status && { status: record.Status }),
        ...(record.Weight !== undefined && { weight: record.Weight }),
      }));
      // A resumed task finds the records already moved: the values before the task are kept.
      const previous: PreviousRecord[] = dryRun
        ? current
        : (
            (await ctx.checkpoint({
              key: stepKey('previous'),
              fn: async () => ({ records: current } as unknown as JsonObject),
            })) as unknown as { records: PreviousRecord[] }
          ).records;
      const previousTtl = Math.max(...previous.map(r => r.ttl));
      const ttl = ctx.input.ttl ?? previousTtl;
      const zoneLines = (records: Array<{ value: string; ttl: number }>) =>
        records
          .map(r =>
            recordLine({
              name: subDomain,
              domain,
              ttl: r.ttl,
              type: recordType,
              line,
              value: r.value,
            }),
          )
          .sort()
          .join('');
      const before = zoneLines(current);
      const after = zoneLines(values.map(value => ({ value, ttl })));
      // Compared with the records before the task: a resumed task that finds the records moved
      // still has its waits and checks to finish.
      const unchanged = zoneLines(previous) === after;
      const previousValues = previous.map(r => r.value);

      ctx.output('previousValues', previousValues);
      ctx.output('previousValue', previousValues[0]);
      ctx.output('previousTtl', previousTtl);
      ctx.output('rollback', {
        domain,
        subDomain,
        recordType,
        recordLine: line,
        values: previousValues,
        ttl: previousTtl,
      });
      ctx.output(
        'diff',
        unchanged ? '' : diffText(`DNSPod ${fqdn}`, before, after),
      );
      ctx.output(
        'backup',
        stringify({
          domain,
          subDomain,
          type: recordType,
          line,
          records: previous,
        }),
      );
      const finish = (
        records: Array<{ recordId: number; value: string }>,
        ttlNow: number,
        changed: boolean,
      ) => {
        ctx.output(
          'recordIds',
          records.map(r => r.recordId),
        );
        ctx.output(
          'values',
          records.map(r => r.value),
        );
        ctx.output('value', records[0]?.value ?? '');
        ctx.output('ttl', ttlNow);
        ctx.output('changed', changed);
      };

      if (unchanged) {
        ctx.logger.info(
          `Nothing to change: ${fqdn} already points at ${values.join(
            ', ',
          )} with TTL ${ttl}`,
        );
        finish(current, ttl, false);
        return;
      }
      const changes = planRecordChanges(previous, values, ttl);
      if (dryRun) {
        ctx.logger.info(
          `Dry run: ${fqdn} would move from ${current
            .map(r => r.value)
            .join(', ')} to ${values.join(', ')} (TTL ${ttl}) in ${
            changes.length
          } DNSPod calls; DNSPod has no dry-run mode, so the records were read and not modified`,
        );
        finish(current, previousTtl, false);
        return;
      }

      const moves = changes.some(c => c.op !== 'modify' || c.from !== c.value);
      // Resolvers keep an answer for the TTL it came with: lower it ahead of the move, and the
      // old addresses outlive the move by the lowered TTL instead of the old one.
      const lowered = moves ? previous.filter(r => r.ttl > ttl) : [];
      for (const record of lowered) {
        await ctx.checkpoint({
          key: stepKey('lower-ttl', String(record.recordId)),
          fn: () =>
            applyRecordChange({
              op: 'modify',
              recordId: record.recordId,
              from: record.value,
              value: record.value,
            }),
        });
      }
      if (lowered.length > 0) {
        await waitForCaches(
          'lowered-ttl',
          previousTtl,
          `for resolvers to drop the ${previousTtl}s TTL before the move`,
        );
      }
      for (const [i, change] of changes.entries()) {
        await ctx.checkpoint({
          key: stepKey('records', String(i), change.op),
          fn: () => applyRecordChange(change),
        });
      }
      const ttlBeforeMove = lowered.length > 0 ? ttl : previousTtl;
      ctx.logger.info(
        `Moved ${fqdn} from ${previousValues.join(', ')} to ${values.join(
          ', ',
        )} (TTL ${ttl}); resolvers may serve the old addresses for up to ${ttlBeforeMove}s`,
      );
      if (moves) {
        await waitForCaches(
          'after-change',
          ttlBeforeMove,
          `until no resolver serves ${previousValues.join(', ')} any more`,
        );
      }
      const records = await readRecords();
      const listed = records.map(r => r.Value!).sort();
      const wrong = records.filter(r => r.TTL !== ttl);
      if (
        listed.join(',') !== [...values].sort().join(',') ||
        wrong.length > 0
      ) {
        throw new Error(
          `DNSPod lists ${
            listed.join(', ') || 'nothing'
          } for ${fqdn} (TTLs ${records
            .map(r => r.TTL)
            .join(', ')}), not ${values.join(
            ', ',
          )} with TTL ${ttl}: someone else changed the records meanwhile. Check them before removing the old load balancer`,
        );
      }
      ctx.logger.info(
        `DNSPod lists ${listed.join(', ')} for ${fqdn} with TTL ${ttl}`,
      );
      finish(
        records.map(r => ({ recordId: r.RecordId!, value: r.Value! })),
        ttl,
        true,
      );

      /**
       * Waits `seconds` from the first time this step got here: the end is kept in a checkpoint,
       * so a task resumed after a restart waits only what is left.
       */
      async function waitForCaches(
        step: string,
        seconds: number,
        why: string,
      ): Promise<void> {
        if (!ctx.input.waitForCaches) {
          ctx.logger.warn(
            `Not waiting ${seconds}s ${why}: waitForCaches is off`,
          );
          return;
        }
        const { until } = await ctx.checkpoint({
          key: stepKey('wait', step),
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
      }

      /**
       * One write, made safe to repeat: a worker lost between the call and its checkpoint runs
       * it again, so a record already as wanted is left alone.
       */
      async function applyRecordChange(change: RecordChange): Promise<void> {
        const now = await readRecords();
        const wanted = (value: string) => ({
          Domain: domain,
          SubDomain: subDomain,
          RecordType: recordType,
          RecordLine: line,
          Value: value,
          TTL: ttl,
        });
        try {
          if (change.op === 'create') {
            if (!now.some(r => r.Value === change.value)) {
              await dnspod.CreateRecord(wanted(change.value));
            }
          } else if (change.op === 'modify') {
            const record = previous.find(r => r.recordId === change.recordId)!;
            const stored = now.find(r => r.RecordId === change.recordId);
            if (stored?.Value !== change.value || stored?.TTL !== ttl) {
              await dnspod.ModifyRecord({
                ...wanted(change.value),
                RecordId: change.recordId,
                ...(record.status && { Status: record.status }),
                ...(record.weight !== undefined && { Weight: record.weight }),
              });
            }
          } else if (now.some(r => r.RecordId === change.recordId)) {
            await dnspod.DeleteRecord({
              Domain: domain,
              RecordId: change.recordId,
            });
          }
        } catch (error) {
          throw new Error(
            `${change.op} of the ${recordType} record ${fqdn} ${
              change.value
            } failed: ${describeTencentError(error)}`,
          );
        }
        ctx.logger.info(
          change.op === 'modify' && change.from !== change.value
            ? `Record ${change.recordId} of ${fqdn}: ${change.from} -> ${change.value} (TTL ${ttl})`
            : `Record ${fqdn} ${change.value}: ${change.op} (TTL ${ttl})`,
        );
      }
    },
  });
}
