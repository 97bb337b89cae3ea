import type { z as zod } from 'zod/v3';

type Zod = typeof zod;

/*
 * What the actions accept, as regular expressions with lengths. They are zod `regex()` and
 * `max()` checks, so the JSON schema the scaffolder derives from them carries the same
 * `pattern` and `maxLength`: a task with a bad value is refused with 400 before it starts, and
 * the action refuses it again (naming the field) before any cluster or cloud call. The
 * templates' parameters repeat the patterns from `INPUT_PATTERNS` so forms refuse them too.
 */

const LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';

export const INPUT_PATTERNS = {
  /** RFC 1123 label, as Kubernetes checks namespace and Service names: at most 63 characters. */
  dnsLabel: `^${LABEL}$`,
  /** RFC 1123 subdomain, as Kubernetes checks most object names: at most 253 characters. */
  dnsSubdomain: `^${LABEL}(\\.${LABEL})*$`,
  /** A host name (RFC 1123, lower case), optionally a wildcard `*.` in front, as Istio hosts are. */
  host: `^(\\*\\.)?${LABEL}(\\.${LABEL})*$`,
  /**
   * An Istio revision: a label value and part of object names (`istiod-<revision>`), so a
   * lower-case RFC 1123 label.
   */
  revision: `^${LABEL}$`,
  /** A cluster or cloud account name from the backend config. */
  configName: '^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$',
  /** A container image reference: registry/path[:tag][@digest], lower-case repository. */
  image:
    '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$',
  /** An image registry and path without a tag (Istio's `hub`). */
  hub: '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$',
  /** An image tag (Istio's `tag`). */
  tag: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$',
  /** A folder inside the task workspace: lower-case segments, never `.` or `..`. */
  workspacePath: '^[a-z0-9][a-z0-9_.-]{0,62}(/[a-z0-9][a-z0-9_.-]{0,62}){0,7}$',
  /** A DNSPod record name within its domain: `@`, `*`, or labels (underscores allowed, as in `_acme-challenge`). */
  subDomain:
    '^(@|\\*|(\\*\\.)?[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9])?(\\.[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9])?)*)$',
  /** An IPv4 address, an IPv6 address, or a host name (a DNS record's value, a pilot address). */
  address:
    '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\\.?)$',
  /** A DNSPod resolution line: letters (any script) and digits, e.g. 默认, 电信, Default. */
  recordLine: '^[^\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]{1,32}$',
  /** A Tencent ISP code, e.g. BGP, CMCC. */
  isp: '^[A-Z][A-Z0-9_]{0,31}$',
  /** An IPv4 CIDR, as loadBalancerSourceRanges take them. */
  cidr: '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$',
  /** An https URL of an API server: host (lower case) and optional port and path. */
  apiServerUrl:
    '^https://[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?$',
  /** A label key: optional DNS-subdomain prefix and a name (upper case allowed, as Kubernetes does). */
  labelKey: `^(${LABEL}(\\.${LABEL})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`,
  /** A label value: empty, or a name of at most 63 characters. */
  labelValue: '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$',
} as const;

export const INPUT_MAX_LENGTHS: Partial<
  Record<keyof typeof INPUT_PATTERNS, number>
> = {
  dnsLabel: 63,
  dnsSubdomain: 253,
  host: 253,
  revision: 63,
  configName: 63,
  image: 255,
  hub: 255,
  tag: 128,
  workspacePath: 255,
  subDomain: 253,
  address: 253,
  recordLine: 32,
  isp: 32,
  cidr: 18,
  apiServerUrl: 2048,
  labelKey: 317,
  labelValue: 63,
};

const MESSAGES: Record<keyof typeof INPUT_PATTERNS, string> = {
  dnsLabel:
    'must be a lower-case RFC 1123 label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most 63 characters',
  dnsSubdomain:
    'must be a lower-case RFC 1123 subdomain: labels of a-z, 0-9 and "-" separated by ".", at most 253 characters',
  host: 'must be a lower-case host name (RFC 1123), optionally starting with "*.", at most 253 characters',
  revision:
    'must be an Istio revision: a lower-case RFC 1123 label such as 1-22-3, at most 63 characters',
  configName:
    'must be a name from the backend config: letters, digits, "-", "_" and ".", at most 63 characters',
  image:
    'must be a container image reference such as registry.example.com/team/image:1.2.3',
  hub: 'must be an image registry and path such as docker.io/istio',
  tag: 'must be an image tag such as 1.22.3',
  workspacePath:
    'must be a relative folder of lower-case segments (a-z, 0-9, ".", "_", "-"), never "." or ".."',
  subDomain:
    'must be "@", "*" or a record name of lower-case labels, such as blog or _acme-challenge.blog',
  address: 'must be an IPv4 or IPv6 address or a lower-case host name',
  recordLine:
    'must be a DNSPod line name such as 默认 (letters and digits, at most 32)',
  isp: 'must be an ISP code such as BGP',
  cidr: 'must be an IPv4 CIDR such as 10.0.0.0/16',
  apiServerUrl: 'must be an https URL such as https://10.0.0.1:6443',
  labelKey:
    'must be a Kubernetes label key such as node-role.kubernetes.io/edge',
  labelValue:
    'must be a Kubernetes label value: empty, or letters, digits, "-", "_" and "." (at most 63)',
};

export type InputKind = keyof typeof INPUT_PATTERNS;

/** A string checked against one of the patterns above, with its length limit. */
export function checkedString(
  z: Zod,
  kind: InputKind,
  description: string,
): zod.ZodString {
  let schema = z
    .string({ description })
    .regex(new RegExp(INPUT_PATTERNS[kind]), {
      message: MESSAGES[kind],
    });
  const max = INPUT_MAX_LENGTHS[kind];
  if (max) {
    schema = schema.max(max, { message: MESSAGES[kind] });
  }
  return schema;
}

/** A string input checked as `kind`, left out when not given. */
export const optionalInput =
  (kind: InputKind, description: string) => (z: Zod) =>
    checkedString(z, kind, description).optional();

/** A yes/no input with its default. */
export const flagInput =
  (description: string, byDefault: boolean) => (z: Zod) =>
    z.boolean({ description }).default(byDefault);

/** A TCP/UDP port. */
export const portNumber = (z: Zod, description?: string) =>
  z
    .number({ description })
    .int({ message: 'must be a whole number from 1 to 65535' })
    .min(1, { message: 'must be a port from 1 to 65535' })
    .max(65535, { message: 'must be a port from 1 to 65535' });

/** Labels of nodes: keys and values as Kubernetes accepts them. */
export const nodeSelectorInput = (z: Zod, description: string) =>
  z.record(
    checkedString(z, 'labelKey', 'A label key'),
    checkedString(z, 'labelValue', 'A label value'),
    { description },
  );

export const tolerateNodeTaintsInput = flagInput(
  'Tolerate the NoSchedule/NoExecute taints of the selected nodes (dedicated nodes are tainted to keep other pods off). Default: true',
  true,
);

/** At most this many ports are probed per address: a probe is a connection to a public address. */
export const MAX_PROBED_PORTS = 4;
