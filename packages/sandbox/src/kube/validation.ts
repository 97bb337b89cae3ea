import { isIP } from 'node:net';
import type { ResourceType } from './resources';
import { FieldError, kubeErrors } from './status';
import type { KubeObject } from './store';

const VALID_IP =
  'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const IPV4_MAPPED = 'must not be an IPv4-mapped IPv6 address';
const LOOPBACK = 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
const LINK_LOCAL =
  'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
const LINK_LOCAL_MULTICAST =
  'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';

/**
 * The API server's validation of what clients write, for the checks the sandbox makes:
 * owner references (k8s.io/apimachinery ValidateOwnerReferences) and endpoint addresses
 * (ValidateNonSpecialIP for Endpoints and EndpointSlices). A failure is 422 Invalid with
 * every field error, as the API server answers. Objects the sandbox stores itself (estates,
 * the controller) are not checked: TKE's `kubernetes` Endpoints hold a link-local address.
 */
export function validateObject(type: ResourceType, object: KubeObject): void {
  const errors = [
    ...ownerReferenceErrors(object.metadata?.ownerReferences),
    ...endpointErrors(type, object),
  ];
  if (errors.length) {
    throw kubeErrors.invalid(type, object.metadata?.name ?? '', errors);
  }
}

function ownerReferenceErrors(references: unknown): FieldError[] {
  const field = (name: string) => `metadata.ownerReferences.${name}`;
  return list(references).flatMap(reference => {
    const { apiVersion, kind, name, uid } = reference ?? {};
    const version = text(apiVersion).split('/').pop();
    return [
      ...(version
        ? []
        : [
            invalid(
              field('apiVersion'),
              text(apiVersion),
              'version must not be empty',
            ),
          ]),
      ...(kind
        ? []
        : [invalid(field('kind'), text(kind), 'must not be empty')]),
      ...(name
        ? []
        : [invalid(field('name'), text(name), 'must not be empty')]),
      ...(uid ? [] : [invalid(field('uid'), text(uid), 'must not be empty')]),
    ];
  });
}

function endpointErrors(type: ResourceType, object: KubeObject): FieldError[] {
  if (type.group === '' && type.kind === 'Endpoints') {
    return list(object.subsets).flatMap((subset, i) =>
      ['addresses', 'notReadyAddresses'].flatMap(key =>
        list(subset?.[key]).flatMap((address, j) =>
          endpointsAddressErrors(
            `subsets[${i}].${key}[${j}].ip`,
            text(address?.ip),
          ),
        ),
      ),
    );
  }
  if (type.group === 'discovery.k8s.io' && type.kind === 'EndpointSlice') {
    const { addressType } = object;
    if (addressType !== 'IPv4' && addressType !== 'IPv6') return [];
    return list(object.endpoints).flatMap((endpoint, i) =>
      list(endpoint?.addresses).flatMap((address, j) =>
        sliceAddressErrors(
          `endpoints[${i}].addresses`,
          j,
          text(address),
          addressType,
        ),
      ),
    );
  }
  return [];
}

/** An Endpoints address, validated as the legacy IP fields are. */
function endpointsAddressErrors(field: string, ip: string): FieldError[] {
  const form = addressForm(ip);
  if (form === 'invalid') {
    return [
      invalid(field, ip, VALID_IP),
      invalid(field, ip, 'must be a valid IP address'),
    ];
  }
  if (form === 'leading zeros') {
    return [invalid(field, ip, 'must not have leading 0s')];
  }
  return [
    ...(form === 'IPv4-mapped' ? [invalid(field, ip, IPV4_MAPPED)] : []),
    ...specialErrors(field, ip),
  ];
}

/** An EndpointSlice address of its addressType (the family error names the list, as the API server does). */
function sliceAddressErrors(
  listField: string,
  index: number,
  ip: string,
  addressType: 'IPv4' | 'IPv6',
): FieldError[] {
  const field = `${listField}[${index}]`;
  const form = addressForm(ip);
  if (form === 'invalid') return [invalid(field, ip, VALID_IP)];
  if (form === 'leading zeros') {
    return [invalid(field, ip, 'must not have leading 0s')];
  }
  if (form === 'IPv4-mapped') return [invalid(field, ip, IPV4_MAPPED)];
  return [
    ...(form === addressType
      ? []
      : [invalid(listField, ip, `must be an ${addressType} address`)]),
    ...specialErrors(field, ip),
  ];
}

function addressForm(
  ip: string,
): 'IPv4' | 'IPv6' | 'IPv4-mapped' | 'leading zeros' | 'invalid' {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (octets?.slice(1).every(o => Number(o) <= 255)) {
    return octets.slice(1).some(o => o.length > 1 && o.startsWith('0'))
      ? 'leading zeros'
      : 'IPv4';
  }
  if (isIP(ip) !== 6 || ip.includes('%')) return 'invalid';
  const groups = ipv6Groups(ip);
  return groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff
    ? 'IPv4-mapped'
    : 'IPv6';
}

/** Addresses that make no sense for an endpoint (ValidateNonSpecialIP): unspecified, loopback, link-local. */
function specialErrors(field: string, ip: string): FieldError[] {
  const problem = specialRange(ip);
  return problem ? [invalid(field, ip, problem)] : [];
}

function specialRange(ip: string): string | undefined {
  const groups = isIP(ip) === 6 ? ipv6Groups(ip) : undefined;
  const mapped =
    groups?.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff;
  let octets = groups ? undefined : ip.split('.').map(Number);
  if (groups && mapped) {
    octets = [
      groups[6] >> 8,
      groups[6] & 0xff,
      groups[7] >> 8,
      groups[7] & 0xff,
    ];
  }
  if (octets) {
    const [a, b, c] = octets;
    if (octets.every(o => o === 0)) return `may not be unspecified (${ip})`;
    if (a === 127) return LOOPBACK;
    if (a === 169 && b === 254) return LINK_LOCAL;
    if (a === 224 && b === 0 && c === 0) return LINK_LOCAL_MULTICAST;
    return undefined;
  }
  if (groups!.every(g => g === 0)) return `may not be unspecified (${ip})`;
  if (groups!.slice(0, 7).every(g => g === 0) && groups![7] === 1) {
    return LOOPBACK;
  }
  if ((groups![0] & 0xffc0) === 0xfe80) return LINK_LOCAL;
  if ((groups![0] & 0xff0f) === 0xff02) return LINK_LOCAL_MULTICAST;
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail split). */
function ipv6Groups(ip: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const hex = dotted
    ? ip.slice(0, dotted.index) +
      [
        ((Number(dotted[1]) << 8) | Number(dotted[2])).toString(16),
        ((Number(dotted[3]) << 8) | Number(dotted[4])).toString(16),
      ].join(':')
    : ip;
  const [head, tail] = hex.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map(g => parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array(zeros).fill(0), ...right];
}

function invalid(field: string, value: string, detail: string): FieldError {
  return { field, type: 'Invalid', value, detail };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
