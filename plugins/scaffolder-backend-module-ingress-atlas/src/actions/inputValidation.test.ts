import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import type { ReachabilityProbe } from '../reachability';
import { createIngressAtlasActions } from '.';

/** Values a hostile or careless user types into a form; none is a valid name, host or id. */
const BAD_STRINGS: Array<[label: string, value: string]> = [
  ['..', '..'],
  ['.', '.'],
  ['../x', '../x'],
  ['a;b', 'a;b'],
  ['300 characters', 'a'.repeat(300)],
  ['NUL', 'a\u0000b'],
  ['upper case', 'Blog'],
  ['__proto__', '__proto__'],
  ['empty', ''],
  ['a/b', 'a/b'],
  ['leading dash', '-x'],
  ['shell', '$(id)'],
  ['space', 'a b'],
  ['percent-encoded ..', '%2e%2e'],
];

/**
 * Bad values that are valid in some fields, with why: those combinations are skipped; every
 * other bad value is still refused there.
 */
const VALID_IN = new Map<string, string[]>(
  Object.entries({
    // DNSPod line names, Tencent ISP codes, image tags and label keys and values hold upper case.
    'upper case': [
      'dns:cutover.recordLine',
      'gateway:remove-lb.dnsRecordLine',
      'gateway:bind-eip.isp',
      'mesh:install-istiod.tag',
      'mesh:join-remote.tag',
      'gateway:host-network.nodeSelector key',
      'gateway:host-network.nodeSelector value',
      'gateway:front-proxy.nodeSelector key',
      'gateway:front-proxy.nodeSelector value',
    ],
    // A registry path, an image in a registry path, a folder in the workspace, a prefixed label key.
    'a/b': [
      'mesh:install-istiod.hub',
      'mesh:join-remote.hub',
      'mesh:install-istiod.path',
      'mesh:join-remote.path',
      'gateway:front-proxy.image',
      'cluster:api-proxy.image',
      'gateway:host-network.nodeSelector key',
      'gateway:front-proxy.nodeSelector key',
    ],
    // A label selector may require an empty value (node-role.kubernetes.io/edge: "").
    empty: [
      'gateway:host-network.nodeSelector value',
      'gateway:front-proxy.nodeSelector value',
    ],
  }),
);

const BAD_PORTS = [0, -1, 65536, 1.5];

interface FieldSchema {
  type?: string;
  items?: FieldSchema;
  additionalProperties?: FieldSchema | boolean;
}

function exampleInput(action: TemplateAction<any, any, any>) {
  const input: Record<string, unknown> = {};
  for (const example of action.examples ?? []) {
    for (const step of parse(example.example).steps) {
      Object.assign(input, step.input);
    }
  }
  return input;
}

interface StringField {
  field: string;
  /** The field, or which part of it (a record's keys or values). */
  where: string;
  put: (value: string) => unknown;
}

/** Each string-valued field of an action, with how to put a bad string into it. */
function stringFields(action: TemplateAction<any, any, any>): StringField[] {
  const properties: Record<string, FieldSchema> = (action.schema?.input as any)
    .properties;
  return Object.entries(properties).flatMap(
    ([field, schema]): StringField[] => {
      if (schema.type === 'string') {
        return [{ field, where: field, put: v => v }];
      }
      if (schema.type === 'array' && schema.items?.type === 'string') {
        return [{ field, where: field, put: v => [v] }];
      }
      if (schema.type === 'object' && schema.additionalProperties) {
        return [
          { field, where: `${field} key`, put: v => ({ [v]: 'true' }) },
          { field, where: `${field} value`, put: v => ({ 'node-role/x': v }) },
        ];
      }
      return [];
    },
  );
}

describe('bad input to every action', () => {
  let world: TestWorld;
  let actions: TemplateAction<any, any, any>[];
  let probes = 0;
  const probe: ReachabilityProbe = async () => {
    probes++;
    return { reachable: true, detail: 'answered (test probe)' };
  };

  beforeAll(async () => {
    world = await startWorld([
      'tke-blog',
      'tke-saas-primary',
      'tke-saas-remote',
      'edge',
    ]);
    actions = createIngressAtlasActions({ ...world.options, probe });
  });

  afterAll(async () => {
    await world.stop();
  });

  const requests = () => ({
    clusters: world.sandbox.running.map(c => c.stats.requests),
    cloud: world.sandbox.cloud!.faults.requestCount(),
    probes,
  });

  /**
   * Runs the action as a dry run; what is wrong with how it refused (empty when it refused
   * with an input error naming the field, before calling anything).
   */
  async function problemsOf(
    action: TemplateAction<any, any, any>,
    input: Record<string, unknown>,
    field: string,
  ): Promise<string[]> {
    const before = requests();
    const { ctx, recorded } = actionContext(input, { dryRun: true });
    const error = await action.handler(ctx).then(
      () => new Error('the action accepted the input'),
      (e: Error) => e,
    );
    const problems: string[] = [];
    if (JSON.stringify(requests()) !== JSON.stringify(before)) {
      problems.push('requests were made');
    }
    if (Object.keys(recorded.outputs).length > 0) {
      problems.push('outputs were set');
    }
    if (error.name !== 'InputError' || !error.message.includes(field)) {
      problems.push(`${error.name}: ${error.message.slice(0, 160)}`);
    }
    // No stack trace or path of the backend's files reaches the user.
    if (/\n\s+at |node_modules|\/src\//.test(error.message)) {
      problems.push('internal details in the message');
    }
    return problems;
  }

  it('covers all 11 actions', () => {
    expect(actions).toHaveLength(11);
  });

  it('refuses each bad string in each field, naming the field, before any cluster or cloud call', async () => {
    const accepted: string[] = [];
    let runs = 0;
    for (const action of actions) {
      const base = exampleInput(action);
      const short = action.id.replace(/^ingress-atlas:/, '');
      for (const { field, where, put } of stringFields(action)) {
        for (const [label, value] of BAD_STRINGS) {
          if (VALID_IN.get(label)?.includes(`${short}.${where}`)) {
            continue;
          }
          runs++;
          const problems = await problemsOf(
            action,
            { ...base, [field]: put(value) },
            field,
          );
          if (problems.length > 0) {
            accepted.push(`${short} ${where}=${label}: ${problems.join('; ')}`);
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(500);
    expect(accepted).toEqual([]);
  }, 300_000);

  it('refuses ports outside 1-65535', async () => {
    const accepted: string[] = [];
    for (const action of actions) {
      const properties = (action.schema?.input as any).properties;
      for (const field of ['port', 'ports'].filter(f => f in properties)) {
        for (const port of BAD_PORTS) {
          const value = field === 'ports' ? [port] : port;
          const problems = await problemsOf(
            action,
            { ...exampleInput(action), [field]: value },
            field,
          );
          if (problems.length > 0) {
            accepted.push(
              `${action.id} ${field}=${port}: ${problems.join('; ')}`,
            );
          }
        }
      }
    }
    expect(accepted).toEqual([]);
  });
});
