import { TencentApiError, orNotFound } from '../errors';
import type { DnsRecord, TencentState } from '../state';
import { ActionHandler, page } from './types';

/** DNSPod is not regional: X-TC-Region is ignored. */
function domainRecords(state: TencentState, domain: string): DnsRecord[] {
  return orNotFound(
    state.domains[domain],
    'InvalidParameterValue.DomainNotExists',
    `Domain ${domain} does not exist.`,
  );
}

const DescribeRecordList: ActionHandler = ({ state, params }) => {
  const records = domainRecords(state, params.Domain);
  const subdomain = params.Subdomain ?? params.SubDomain;
  const matching = records.filter(
    r =>
      (!subdomain || r.Name === subdomain) &&
      (!params.RecordType || r.Type === params.RecordType) &&
      (!params.RecordLine || r.Line === params.RecordLine) &&
      (!params.Keyword ||
        r.Name.includes(params.Keyword) ||
        r.Value.includes(params.Keyword)),
  );
  if (matching.length === 0 && params.ErrorOnEmpty !== 'no') {
    throw new TencentApiError(
      'ResourceNotFound.NoDataOfRecord',
      'No records match.',
    );
  }
  const list = page(matching, params, { defaultLimit: 100, maxLimit: 3000 });
  return {
    RecordCountInfo: {
      SubdomainCount: new Set(matching.map(r => r.Name)).size,
      ListCount: list.length,
      TotalCount: matching.length,
    },
    RecordList: list,
  };
};

/** The group every domain is in until moved: DNSPod's default group. */
const DEFAULT_GROUP_ID = 1;

/** Domain types (`Type`) and whether a domain of this account's own, free-plan, enabled kind is in them. */
const DOMAIN_TYPES: Record<string, boolean> = {
  ALL: true,
  MINE: true,
  FREE: true,
  SHARE: false,
  ISMARK: false,
  PAUSE: false,
  VIP: false,
  // Domains operated on lately: the stand-in keeps no such history.
  RECENT: false,
  SHARE_OUT: false,
};

/** The DomainListItem DNSPod gives a domain: every seeded domain is the account's own, enabled, on the free plan. */
function domainItem(state: TencentState, name: string, records: DnsRecord[]) {
  const updated = records
    .map(r => r.UpdatedOn)
    .filter((d): d is string => typeof d === 'string')
    .sort();
  return {
    DomainId: state.domainId(name),
    Name: name,
    Status: 'ENABLE',
    TTL: 600,
    CNAMESpeedup: 'DISABLE',
    DNSStatus: '',
    Grade: 'DP_Free',
    GroupId: DEFAULT_GROUP_ID,
    SearchEnginePush: 'NO',
    Remark: '',
    Punycode: name,
    EffectiveDNS: records
      .filter(r => r.Name === '@' && r.Type === 'NS')
      .map(r => r.Value.replace(/\.$/, '')),
    GradeLevel: 2,
    GradeTitle: '免费版',
    IsVip: 'NO',
    VipStartAt: '0000-00-00 00:00:00',
    VipEndAt: '0000-00-00 00:00:00',
    VipAutoRenew: 'DEFAULT',
    RecordCount: records.length,
    CreatedOn: updated[0] ?? '',
    UpdatedOn: updated[updated.length - 1] ?? '',
    Owner: 'sandbox@example.com',
    TagList: [],
  };
}

/**
 * The account's domains, paged as the API documents it: Limit defaults to 3000 (no maximum
 * is documented), a bad Offset is `InvalidParameter.OffsetInvalid`, a bad Limit
 * `InvalidParameterValue.LimitInvalid`; an Offset past the end is an empty page.
 */
const DescribeDomainList: ActionHandler = ({ state, params }) => {
  const type = params.Type ?? 'ALL';
  if (!(type in DOMAIN_TYPES)) {
    throw new TencentApiError(
      'InvalidParameter',
      `The value \`${type}\` of parameter \`Type\` is not valid.`,
    );
  }
  if (params.GroupId !== undefined && params.GroupId !== DEFAULT_GROUP_ID) {
    throw new TencentApiError(
      'InvalidParameter.GroupIdInvalid',
      `Group ${params.GroupId} does not exist.`,
    );
  }
  const all = Object.entries(state.domains).map(([name, records]) =>
    domainItem(state, name, records),
  );
  const matching = all.filter(
    d =>
      DOMAIN_TYPES[type] &&
      (!params.Keyword || d.Name.includes(String(params.Keyword))),
  );
  const list = page(matching, params, {
    defaultLimit: 3000,
    offsetError: 'InvalidParameter.OffsetInvalid',
    limitError: 'InvalidParameterValue.LimitInvalid',
  });
  return {
    DomainCountInfo: {
      DomainTotal: matching.length,
      AllTotal: all.length,
      MineTotal: all.length,
      ShareTotal: 0,
      VipTotal: 0,
      PauseTotal: 0,
      ErrorTotal: 0,
      LockTotal: 0,
      SpamTotal: 0,
      VipExpire: 0,
      ShareOutTotal: 0,
      GroupTotal: params.GroupId !== undefined ? matching.length : 0,
    },
    DomainList: list,
  };
};

function requireParams(params: Record<string, any>, names: string[]): void {
  for (const required of names) {
    if (params[required] === undefined || params[required] === '') {
      throw new TencentApiError(
        'MissingParameter',
        `The request is missing a required parameter \`${required}\`.`,
      );
    }
  }
}

/** Where record `id` is in `records`; refused as DNSPod does when it is not there. */
function recordIndex(records: DnsRecord[], id: number): number {
  const index = records.findIndex(r => r.RecordId === id);
  if (index < 0) {
    throw new TencentApiError(
      'InvalidParameter.RecordIdInvalid',
      `Record ${id} does not exist.`,
    );
  }
  return index;
}

/** Like the real API, an omitted TTL resets the record to 600 seconds. */
const ModifyRecord: ActionHandler = ({ state, params }) => {
  const records = domainRecords(state, params.Domain);
  const record = records[recordIndex(records, params.RecordId)];
  requireParams(params, ['RecordType', 'RecordLine', 'Value']);
  Object.assign(record, {
    Name: params.SubDomain ?? '@',
    Type: params.RecordType,
    Line: params.RecordLine,
    Value: params.Value,
    TTL: params.TTL ?? 600,
    UpdatedOn: new Date().toISOString().replace('T', ' ').slice(0, 19),
  });
  return { RecordId: record.RecordId };
};

/** Like the real API, an omitted TTL is 600 seconds; the same record twice is refused. */
const CreateRecord: ActionHandler = ({ state, params }) => {
  const records = domainRecords(state, params.Domain);
  requireParams(params, ['RecordType', 'RecordLine', 'Value']);
  const name = params.SubDomain || '@';
  if (
    records.some(
      r =>
        r.Name === name &&
        r.Type === params.RecordType &&
        r.Line === params.RecordLine &&
        r.Value === params.Value,
    )
  ) {
    throw new TencentApiError(
      'InvalidParameter.DomainRecordExist',
      'The record already exists.',
    );
  }
  const recordId =
    Math.max(
      1000,
      ...Object.values(state.domains)
        .flat()
        .map(r => r.RecordId),
    ) + 1;
  records.push({
    RecordId: recordId,
    Name: name,
    Type: params.RecordType,
    Value: params.Value,
    Line: params.RecordLine,
    LineId: '0',
    TTL: params.TTL ?? 600,
    Status: params.Status ?? 'ENABLE',
    UpdatedOn: new Date().toISOString().replace('T', ' ').slice(0, 19),
  });
  return { RecordId: recordId };
};

const DeleteRecord: ActionHandler = ({ state, params }) => {
  const records = domainRecords(state, params.Domain);
  records.splice(recordIndex(records, params.RecordId), 1);
  return {};
};

export const dnspodActions: Record<string, ActionHandler> = {
  DescribeDomainList,
  DescribeRecordList,
  ModifyRecord,
  CreateRecord,
  DeleteRecord,
};
