import { isIPv4, isIPv6 } from 'node:net';
import { InputError } from '@backstage/errors';
import { stringify } from 'yaml';
import type { RecordListItem } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_models';
import { diffText } from '../manifests';
import { TencentCloud, describeTencentError } from '../tencent';
import { ActionOptions, changeOutputs, checkpointKey } from './common';
import { createAtlasAction } from './runner';
import { checkedString } from './inputs';
import { examples } from './dnsCutover.examples';

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

/**
 * Points a DNSPod record at a new address, keeping the old value for a rollback.
 *
 * @public
 */
export function createDnsCutoverAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:dns:cutover',
    description:
      'Points a DNSPod record at a new address (DescribeRecordList, then ModifyRecord with the TTL sent every time); outputs the previous value for a rollback.',
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
        value: z =>
          checkedString(
            z,
            'address',
            'The new address (an IP for A/AAAA, a host name for CNAME)',
          ),
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
        recordId: z => z.number({ description: 'The DNSPod record id' }),
        previousValue: z =>
          z.string({ description: 'The value before the cutover' }),
        previousTtl: z =>
          z.number({ description: 'The TTL before the cutover' }),
        value: z => z.string({ description: 'The value now' }),
        ttl: z => z.number({ description: 'The TTL now' }),
        rollback: z =>
          z
            .object({
              domain: z.string(),
              subDomain: z.string(),
              recordType: z.string(),
              recordLine: z.string(),
              value: z.string(),
              ttl: z.number(),
            })
            .describe('Input for this action that restores the previous value'),
        ...changeOutputs,
      },
    },
    intent: input => {
      const fqdn =
        input.subDomain === '@'
          ? input.domain
          : `${input.subDomain}.${input.domain}`;
      return `point ${fqdn} (${input.recordType}, line ${input.recordLine}) at ${input.value}`;
    },
    async run(ctx, { preflight }) {
      const {
        domain,
        subDomain,
        value,
        recordType,
        recordLine: line,
      } = ctx.input;
      validateValue(recordType, value);
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

      let records: RecordListItem[];
      try {
        ({ RecordList: records = [] } = await dnspod.DescribeRecordList({
          Domain: domain,
          Subdomain: subDomain,
          RecordType: recordType,
          RecordLine: line,
          ErrorOnEmpty: 'no',
        }));
      } catch (error) {
        throw new InputError(
          `Reading the ${recordType} records of ${fqdn} failed: ${describeTencentError(
            error,
          )}`,
        );
      }
      const matching = records.filter(r => r.Name === subDomain);
      preflight.check(
        matching.length === 1,
        `one ${recordType} record ${fqdn} on line ${line}: ${matching[0]?.Value} (TTL ${matching[0]?.TTL}, id ${matching[0]?.RecordId})`,
        matching.length === 0
          ? `there is no ${recordType} record ${fqdn} on line ${line} to move; create it in DNSPod first`
          : `${
              matching.length
            } ${recordType} records ${fqdn} exist on line ${line} (${matching
              .map(r => r.Value)
              .join(', ')}); this action moves exactly one`,
      );
      preflight.done();

      const record = matching[0];
      const stepKey = (step: string) =>
        checkpointKey('dns.cutover', domain, subDomain, recordType, line, step);
      const current = {
        recordId: record.RecordId!,
        value: record.Value!,
        ttl: record.TTL ?? 600,
        ...(record.Status && { status: record.Status }),
        ...(record.Weight !== undefined && { weight: record.Weight }),
      };
      // A resumed task finds the record already moved: the value before the task is kept.
      const previous = dryRun
        ? current
        : await ctx.checkpoint({
            key: stepKey('previous'),
            fn: async () => current,
          });
      const ttl = ctx.input.ttl ?? previous.ttl;
      const before = recordLine({
        name: subDomain,
        domain,
        ttl: current.ttl,
        type: recordType,
        line,
        value: current.value,
      });
      const after = recordLine({
        name: subDomain,
        domain,
        ttl,
        type: recordType,
        line,
        value,
      });
      const unchanged = current.value === value && current.ttl === ttl;
      const diff = unchanged ? '' : diffText(`DNSPod ${fqdn}`, before, after);

      ctx.output('recordId', current.recordId);
      ctx.output('previousValue', previous.value);
      ctx.output('previousTtl', previous.ttl);
      ctx.output('rollback', {
        domain,
        subDomain,
        recordType,
        recordLine: line,
        value: previous.value,
        ttl: previous.ttl,
      });
      ctx.output('diff', diff);
      ctx.output(
        'backup',
        stringify({
          domain,
          subDomain,
          type: recordType,
          line,
          ...previous,
        }),
      );

      if (unchanged) {
        ctx.logger.info(
          `Nothing to change: ${fqdn} already points at ${value} with TTL ${ttl}`,
        );
        ctx.output('value', value);
        ctx.output('ttl', ttl);
        ctx.output('changed', previous.value !== value || previous.ttl !== ttl);
        return;
      }
      if (dryRun) {
        ctx.logger.info(
          `Dry run: ${fqdn} would move from ${current.value} to ${value} (TTL ${ttl}); DNSPod has no dry-run mode, so the record was read and not modified`,
        );
        ctx.output('value', current.value);
        ctx.output('ttl', current.ttl);
        ctx.output('changed', false);
        return;
      }

      await ctx.checkpoint({
        key: stepKey('modify-record'),
        fn: async () => {
          try {
            await dnspod.ModifyRecord({
              Domain: domain,
              SubDomain: subDomain,
              RecordId: current.recordId,
              RecordType: recordType,
              RecordLine: line,
              Value: value,
              TTL: ttl,
              ...(current.status && { Status: current.status }),
              ...(current.weight !== undefined && { Weight: current.weight }),
            });
          } catch (error) {
            throw new Error(
              `ModifyRecord for ${fqdn} failed: ${describeTencentError(error)}`,
            );
          }
          ctx.logger.info(
            `Moved ${fqdn} from ${current.value} to ${value} (TTL ${ttl}); resolvers may serve the old address for up to ${current.ttl}s`,
            { recordId: current.recordId },
          );
        },
      });
      ctx.output('value', value);
      ctx.output('ttl', ttl);
      ctx.output('changed', true);
    },
  });
}
