import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createTemplateRenderer } from 'nunjitsu';
import { validate } from 'jsonschema';
import { parse } from 'yaml';
import { TestWorld, actionContext, startWorld } from './__testUtils__/sandbox';
import { createIngressAtlasActions } from './actions';
import { ClusterDirectory } from './clusters';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../examples/templates');

interface ParameterSchema {
  type?: string;
  default?: unknown;
  pattern?: string;
  maxLength?: number;
}

interface Template {
  metadata: { name: string };
  spec: {
    parameters: Array<{
      properties: Record<string, ParameterSchema>;
      dependencies?: Record<string, unknown>;
    }>;
    steps: Array<{
      id: string;
      action: string;
      if?: string;
      input: Record<string, unknown>;
    }>;
    output: unknown;
  };
}

async function loadTemplate(name: string): Promise<Template> {
  return parse(
    await fs.readFile(path.join(TEMPLATES_DIR, `${name}.yaml`), 'utf8'),
  );
}

/** The values the form starts with. */
function defaultsOf(template: Template): Record<string, unknown> {
  return Object.fromEntries(
    template.spec.parameters.flatMap(p =>
      Object.entries(p.properties)
        .filter(([, schema]) => schema.default !== undefined)
        .map(([key, schema]) => [key, schema.default]),
    ),
  );
}

/** The parameters the atlas puts in `/create/templates/default/<name>?formData=...` links. */
const LINKED_PARAMETERS: Record<string, string[]> = {
  'move-gateway-to-pod-eip': [
    'cluster',
    'namespace',
    'gateway',
    'service',
    'loadBalancerId',
    'replicas',
    'host',
    'dnsDomain',
    'dnsSubDomain',
  ],
  'expose-service-through-mesh': ['cluster', 'namespace', 'service', 'host'],
  'migrate-tcm-to-istiod': ['cluster', 'revision', 'currentVersion', 'meshId'],
  'enable-gateway-https': [
    'cluster',
    'namespace',
    'gateway',
    'host',
    'credentialName',
  ],
};

/** Every template in examples/templates, as the catalog registers them. */
const TEMPLATES = readdirSync(TEMPLATES_DIR)
  .filter(file => file.endsWith('.yaml'))
  .map(file => file.replace(/\.yaml$/, ''));

describe('templates', () => {
  it('covers every action with a template', async () => {
    const used = new Set<string>();
    for (const name of TEMPLATES) {
      for (const step of (await loadTemplate(name)).spec.steps) {
        used.add(step.action);
      }
    }
    const ids = createIngressAtlasActions({
      clusters: ClusterDirectory.fromConfig(new ConfigReader({})),
      permissions: mockServices.permissions(),
    }).map(a => a.id);
    expect(ids.filter(id => !used.has(id))).toEqual([]);
  });

  const WORLD = [
    'tke-blog',
    'tke-saas-primary',
    'tke-saas-remote',
    'edge',
    'huawei-cce',
  ];
  const workspace = createMockDirectory();
  let world: TestWorld;
  let actions: Map<string, TemplateAction<any, any, any>>;

  beforeEach(async () => {
    workspace.clear();
    world = await startWorld(WORLD);
    actions = new Map(
      createIngressAtlasActions(world.options).map(a => [a.id, a]),
    );
  });

  afterEach(async () => {
    await world.stop();
  });

  it.each(TEMPLATES.map(name => [name, LINKED_PARAMETERS[name] ?? []]))(
    '%s takes the linked parameters and feeds only inputs the actions know',
    async (name, linked) => {
      const template = await loadTemplate(name);
      expect(template.metadata.name).toBe(name);
      const declared = template.spec.parameters.flatMap(p =>
        Object.keys(p.properties),
      );
      expect(declared).toEqual(expect.arrayContaining(linked));
      for (const step of template.spec.steps.filter(s =>
        s.action.startsWith('ingress-atlas:'),
      )) {
        const action = actions.get(step.action);
        expect(action).toBeDefined();
        const known = Object.keys((action!.schema?.input as any).properties);
        expect(known).toEqual(expect.arrayContaining(Object.keys(step.input)));
      }
    },
  );

  it.each(TEMPLATES)(
    '%s refuses in its form what its actions refuse: same pattern and maxLength for each string fed to them',
    async name => {
      const template = await loadTemplate(name);
      const parameters = Object.assign(
        {},
        ...template.spec.parameters.map(p => p.properties),
      ) as Record<string, ParameterSchema>;
      const mismatches: string[] = [];
      let checked = 0;
      for (const step of template.spec.steps.filter(s =>
        s.action.startsWith('ingress-atlas:'),
      )) {
        const fields = (actions.get(step.action)!.schema?.input as any)
          .properties as Record<string, ParameterSchema>;
        for (const [field, value] of Object.entries(step.input)) {
          const fed = /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/.exec(String(value));
          const wanted = fields[field];
          if (!fed || wanted?.type !== 'string' || !wanted.pattern) {
            continue;
          }
          checked++;
          const declared = parameters[fed[1]];
          if (
            declared?.pattern !== wanted.pattern ||
            declared?.maxLength !== wanted.maxLength
          ) {
            mismatches.push(
              `parameter ${fed[1]} (${step.action} ${field}): pattern ${declared?.pattern} maxLength ${declared?.maxLength}; wanted pattern ${wanted.pattern} maxLength ${wanted.maxLength}`,
            );
          }
          // The form refuses the values the action refuses; the scaffolder answers 400.
          for (const bad of [
            '..',
            '../x',
            'a;b',
            'a\u0000b',
            'x'.repeat(300),
          ]) {
            if (
              declared?.pattern &&
              new RegExp(declared.pattern, 'u').test(bad) &&
              bad.length <= (declared.maxLength ?? Infinity)
            ) {
              mismatches.push(
                `parameter ${fed[1]} accepts ${JSON.stringify(bad)}`,
              );
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
    },
  );

  /** Runs a template's steps the way the scaffolder does: render `if` and inputs, then the action. */
  async function runTemplate(
    name: string,
    formData: Record<string, unknown>,
    dryRun = false,
  ) {
    const template = await loadTemplate(name);
    const defaults = defaultsOf(template);
    const renderer = createTemplateRenderer();
    const context = {
      parameters: { ...defaults, ...formData },
      steps: {} as Record<string, unknown>,
    };
    const render = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value), (_key, v) =>
        typeof v === 'string'
          ? renderer.renderValue(v, renderer.prepareContext(context as any))
          : v,
      );
    for (const step of template.spec.steps) {
      if (step.if && !render(step.if)) {
        continue;
      }
      const { ctx, recorded } = actionContext(
        render(step.input) as Record<string, unknown>,
        { workspacePath: workspace.path, dryRun },
      );
      await actions.get(step.action)!.handler(ctx);
      context.steps[step.id] = { output: recorded.outputs };
    }
    return render(template.spec.output) as {
      text: Array<{ title: string; content: string }>;
    };
  }

  it('move-gateway-to-pod-eip moves the blog gateway, its DNS and its CLB in one run', async () => {
    const output = await runTemplate('move-gateway-to-pod-eip', {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
      replicas: 2,
      host: 'blog.example.com',
      dnsDomain: 'example.com',
      dnsSubDomain: 'blog',
      checkReachability: false,
      removeLoadBalancer: true,
      confirmRemoval: 'remove',
    });

    // Every pod's EIP is published, one A record each.
    const eips = ['istio-ingressgateway-0', 'istio-ingressgateway-1'].map(
      name =>
        world.object('tke-blog', '', 'pods', 'istio-system', name)!.metadata
          .annotations!['tke.cloud.tencent.com/eip-public-ip'],
    );
    expect(eips.every(Boolean)).toBe(true);
    const { RecordList = [] } = await world.dnspod().DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
      RecordType: 'A',
    });
    expect(RecordList.map(r => r.Value).sort()).toEqual([...eips].sort());
    expect(
      world.object(
        'tke-blog',
        '',
        'services',
        'istio-system',
        'istio-ingressgateway',
      )!.spec.type,
    ).toBe('ClusterIP');
    // The load balancer went only after DNSPod's 600 s TTL had passed since the move.
    expect(world.clock.waits).toEqual([600_000]);
    const { TotalCount } = await world
      .clb('ap-guangzhou')
      .DescribeLoadBalancers({ LoadBalancerIds: ['lb-blog0001'] });
    expect(TotalCount).toBe(0);

    const text = output.text.map(t => t.content).join('\n');
    expect(text).toContain(`The gateway now answers on **${eips.join(', ')}**`);
    expect(text).toContain('Monthly saving once the CLB is gone: **144 CNY**');
    expect(text).toContain('pointed at `198.51.100.11`');
    expect(text).toContain('(TTL 600) before the move');
    expect(text).toContain('kind: Deployment');
    expect(text).toContain('type: LoadBalancer');
  });

  it('move-gateway-to-pod-eip runs dry from start to end without changing anything', async () => {
    const cluster = world.cluster('tke-blog');
    const revision = cluster.store.revision;
    const output = await runTemplate(
      'move-gateway-to-pod-eip',
      {
        cluster: 'tke-blog',
        namespace: 'istio-system',
        gateway: 'istio-ingressgateway',
        dnsDomain: 'example.com',
        dnsSubDomain: 'blog',
        checkReachability: false,
        removeLoadBalancer: true,
        confirmRemoval: 'remove',
      },
      true,
    );
    expect(cluster.store.revision).toBe(revision);
    const { TotalCount } = await world
      .clb('ap-guangzhou')
      .DescribeLoadBalancers({ LoadBalancerIds: ['lb-blog0001'] });
    expect(TotalCount).toBe(1);
    expect(output.text[0].content).toContain(
      'Monthly saving once the CLB is gone: **144 CNY**',
    );
    // Nothing was allocated, moved or removed: the summary says so instead of showing blanks.
    const text = output.text.map(t => `## ${t.title}\n${t.content}`).join('\n');
    expect(text).not.toContain('****');
    expect(text).not.toMatch(/(^|[^`])``([^`]|$)/m);
    expect(text).not.toContain('(TTL )');
    expect(text).not.toMatch(/```yaml\s*```/);
    expect(text).toContain('No EIP was allocated (dry run)');
    expect(text).toContain('DNS was not changed');
  });

  /** The parameters the scaffolder accepts: each page's schema, as its backend checks them. */
  async function formErrors(
    name: string,
    formData: Record<string, unknown>,
  ): Promise<string[]> {
    const template = await loadTemplate(name);
    const values = { ...defaultsOf(template), ...formData };
    return template.spec.parameters.flatMap(page =>
      validate(values, page as any).errors.map(e => e.stack),
    );
  }

  it("migrate-tcm-to-istiod plugs in the organisation's root named in the form, and says which root istiod signs with", async () => {
    const form = {
      cluster: 'tke-blog',
      targetCluster: 'tke-saas-remote',
      meshId: 'saas-mesh',
      network: 'net-remote',
      eastWestSubnetId: 'subnet-saas0001',
      pullRequest: false,
    };
    const cacerts = (cluster: string) =>
      world.object(cluster, '', 'secrets', 'istio-system', 'cacerts');
    const own = await runTemplate('migrate-tcm-to-istiod', form);
    expect(own.text[0].content).toContain(
      "Unless istio-system/cacerts on tke-saas-remote holds your organisation's CA, istiod signs with a self-signed root of its own",
    );
    expect(cacerts('tke-saas-remote')).toBeUndefined();

    // The earlier self-managed primary's root, from its istio-system/cacerts (the defaults).
    const plugged = await runTemplate('migrate-tcm-to-istiod', {
      ...form,
      caSecretCluster: 'tke-saas-primary',
    });
    expect(plugged.text[0].content).toMatch(
      /istiod signs with your organisation's root "O=cluster\.local" \(SHA-256 [0-9A-F:]+, valid until 2034-02-17\), copied from Secret istio-system\/cacerts on tke-saas-primary to istio-system\/cacerts on tke-saas-remote\./,
    );
    expect(cacerts('tke-saas-remote')!.data).toEqual(
      cacerts('tke-saas-primary')!.data,
    );
  });

  it('migrate-tcm-to-istiod asks for a repository only when a pull request is wanted', async () => {
    const parameters = {
      cluster: 'tke-blog',
      targetCluster: 'tke-next',
      apply: true,
    };
    // On by default: the repository picker's owner and name are required.
    expect(await formErrors('migrate-tcm-to-istiod', parameters)).toEqual(
      expect.arrayContaining([
        'instance does not meet dependency required by instance.pullRequest',
      ]),
    );
    expect(
      await formErrors('migrate-tcm-to-istiod', {
        ...parameters,
        repoUrl: 'github.com?owner=acme&repo=mesh',
      }),
    ).toEqual([]);
    // Off (the install is enough): nothing more to give, and no pull request is opened.
    expect(
      await formErrors('migrate-tcm-to-istiod', {
        ...parameters,
        pullRequest: false,
      }),
    ).toEqual([]);
    const template = await loadTemplate('migrate-tcm-to-istiod');
    const pullRequest = template.spec.steps.find(s => s.id === 'pull-request')!;
    expect(pullRequest.if).toContain('parameters.pullRequest !== false');
  });

  it('move-gateway-to-pod-eip keeps the load balancer unless asked, and asks for a typed confirmation', async () => {
    const gateway = {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
    };
    expect(await formErrors('move-gateway-to-pod-eip', gateway)).toEqual([]);
    expect(
      await formErrors('move-gateway-to-pod-eip', {
        ...gateway,
        removeLoadBalancer: false,
      }),
    ).toEqual([]);
    // Turned on, the removal needs the word the form asks for; anything else is refused.
    for (const confirmRemoval of [undefined, '', 'yes', 'remove it']) {
      expect(
        await formErrors('move-gateway-to-pod-eip', {
          ...gateway,
          removeLoadBalancer: true,
          ...(confirmRemoval !== undefined && { confirmRemoval }),
        }),
      ).not.toEqual([]);
    }
    expect(
      await formErrors('move-gateway-to-pod-eip', {
        ...gateway,
        removeLoadBalancer: true,
        confirmRemoval: 'remove',
      }),
    ).toEqual([]);
  });

  it('move-gateway-to-pod-eip with the defaults moves the gateway and DNS but leaves the load balancer', async () => {
    const output = await runTemplate('move-gateway-to-pod-eip', {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
      replicas: 2,
      dnsDomain: 'example.com',
      dnsSubDomain: 'blog',
      checkReachability: false,
    });
    const service = world.object(
      'tke-blog',
      '',
      'services',
      'istio-system',
      'istio-ingressgateway',
    )!;
    expect(service.spec.type).toBe('LoadBalancer');
    const { TotalCount } = await world
      .clb('ap-guangzhou')
      .DescribeLoadBalancers({ LoadBalancerIds: ['lb-blog0001'] });
    expect(TotalCount).toBe(1);
    // DNS lists every pod's EIP as the StatefulSet has them when the step runs.
    const { RecordList = [] } = await world.dnspod().DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
      RecordType: 'A',
    });
    expect(RecordList).toHaveLength(2);
    const text = readable(output);
    expect(text).toContain('The load balancer was kept: its removal was off');
    expect(text).toContain('The load balancer Service was not changed.');
  });

  it('move-gateway-to-pod-eip does not remove the load balancer when turned on without the confirmation', async () => {
    await runTemplate('move-gateway-to-pod-eip', {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
      replicas: 2,
      checkReachability: false,
      removeLoadBalancer: true,
      confirmRemoval: 'yes',
    });
    expect(
      world.object(
        'tke-blog',
        '',
        'services',
        'istio-system',
        'istio-ingressgateway',
      )!.spec.type,
    ).toBe('LoadBalancer');
  });

  /** The summary a user reads: no blank where an output should be. */
  const readable = (output: { text: Array<{ content: string }> }) => {
    const text = output.text.map(t => t.content).join('\n');
    expect(text).not.toMatch(
      /(^|[^`])``([^`]|$)|\*\*\*\*|undefined|\[object Object\]/m,
    );
    return text;
  };

  /** Inputs each template is run with below. */
  const RUNS: Record<string, Record<string, unknown>> = {
    'move-gateway-to-pod-eip': {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
      dnsDomain: 'example.com',
      dnsSubDomain: 'blog',
      checkReachability: false,
    },
    'move-gateway-to-host-network': {
      cluster: 'edge',
      gateway: 'legacy-gateway',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
    },
    'run-front-proxy': {
      cluster: 'edge',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
    },
    'expose-api-server': {
      cluster: 'tke-saas-remote',
      subnetId: 'subnet-saas0002',
      sourceRanges: ['10.20.0.0/16'],
    },
    'join-remote-cluster': {
      cluster: 'tke-saas-remote',
      primaryCluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-remote',
    },
    'migrate-tcm-to-istiod': {
      cluster: 'tke-blog',
      revision: '1-18-5',
      currentVersion: '1.10.3',
      meshId: 'mesh-blog0001',
      targetCluster: 'tke-saas-primary',
      eastWestSubnetId: 'subnet-saas0001',
      // No repository here: a pull request (on by default) would need one.
      pullRequest: false,
    },
    'enable-gateway-https': {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
      host: 'blog.example.com',
      credentialName: 'blog-tls',
    },
    'expose-service-through-mesh': {
      cluster: 'tke-blog',
      namespace: 'blog',
      service: 'blog',
      host: 'www.example.com',
    },
  };

  it('runs every template with inputs above', () => {
    expect(Object.keys(RUNS).sort()).toEqual([...TEMPLATES].sort());
  });

  it.each(Object.entries(RUNS))(
    '%s says on a dry run what it would do, with no blanks, and changes nothing',
    async (name, formData) => {
      const revisions = () =>
        WORLD.map(cluster => world.cluster(cluster).store.revision);
      if (name === 'run-front-proxy') {
        // The hand-made proxy holds the host ports: the action refuses while it runs.
        world.removeDeployment('edge', 'front-proxy', 'front-envoy');
      }
      const before = revisions();
      expect(await formErrors(name, formData)).toEqual([]);
      const output = await runTemplate(name, formData, true).catch(
        (error: Error) => ({ text: [], error: error.message }),
      );
      expect(output).not.toHaveProperty('error');
      expect(revisions()).toEqual(before);
      const text = output.text
        .map(t => `## ${t.title}\n${t.content}`)
        .join('\n');
      expect(text).not.toMatch(
        /(^|[^`])``([^`]|$)|\*\*\*\*|undefined|\[object Object\]|```(yaml|diff)?\s*```|\(TTL \)/m,
      );
    },
  );

  it('move-gateway-to-host-network moves the legacy gateway onto the dedicated nodes', async () => {
    const output = await runTemplate('move-gateway-to-host-network', {
      cluster: 'edge',
      gateway: 'legacy-gateway',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
    });
    const deployment = world.object(
      'edge',
      'apps',
      'deployments',
      'istio-system',
      'legacy-gateway',
    )!;
    expect(deployment.spec.template.spec).toMatchObject({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
    });
    expect(readable(output)).toContain(
      'The gateway runs on nodes 10.1.0.21, 10.1.0.22.',
    );
    expect(readable(output)).toContain(
      'None of them has a public IP: the gateway is reachable from the VPC only',
    );
  });

  it('run-front-proxy runs Envoy on the proxy nodes once the hand-made one is gone', async () => {
    world.removeDeployment('edge', 'front-proxy', 'front-envoy');
    const output = await runTemplate('run-front-proxy', {
      cluster: 'edge',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
    });
    expect(
      world.object(
        'edge',
        'apps',
        'daemonsets',
        'front-proxy',
        'tcp-front-proxy',
      ),
    ).toBeDefined();
    expect(readable(output)).toContain(
      'point DNS at their\npublic IPs:\n- 10.1.0.21 InternalIP 10.1.0.21\n- 10.1.0.22 InternalIP 10.1.0.22',
    );
  });

  it('expose-api-server puts the API server of the SaaS remote behind an internal CLB', async () => {
    const output = await runTemplate('expose-api-server', {
      cluster: 'tke-saas-remote',
      subnetId: 'subnet-saas0002',
      sourceRanges: ['10.20.0.0/16'],
    });
    const service = world.object(
      'tke-saas-remote',
      '',
      'services',
      'kube-api-proxy',
      'kube-api-proxy',
    )!;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toMatchObject({
      'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid':
        'subnet-saas0002',
    });
    expect(readable(output)).toMatch(
      /Load balancer Service `kube-api-proxy\/kube-api-proxy`, about\s+\d+(\.\d+)? CNY\/month/,
    );
  });

  it('expose-api-server on CCE says the catalogue has no price for the ELB rather than 0 CNY', async () => {
    const output = await runTemplate('expose-api-server', {
      cluster: 'huawei-cce',
    });
    expect(readable(output)).toContain(
      'Load balancer Service `kube-api-proxy/kube-api-proxy`, at a price the catalogue does not have.',
    );
  });

  it('join-remote-cluster gives the primary its remote secret and writes the member profile', async () => {
    const output = await runTemplate('join-remote-cluster', {
      cluster: 'tke-saas-remote',
      primaryCluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-remote',
    });
    expect(
      world.object(
        'tke-saas-primary',
        '',
        'secrets',
        'istio-system',
        'istio-remote-secret-cls-saas0002',
      ),
    ).toBeDefined();
    expect(readable(output)).toContain(
      'Remote secret `istio-remote-secret-cls-saas0002` in tke-saas-primary',
    );
  });

  it('migrate-tcm-to-istiod writes the new control plane for a pull request, leaving clusters alone', async () => {
    const revision = world.cluster('tke-saas-primary').store.revision;
    const output = await runTemplate('migrate-tcm-to-istiod', {
      cluster: 'tke-blog',
      revision: '1-18-5',
      currentVersion: '1.10.3',
      meshId: 'mesh-blog0001',
      targetCluster: 'tke-saas-primary',
      eastWestSubnetId: 'subnet-saas0001',
    });
    expect(world.cluster('tke-saas-primary').store.revision).toBe(revision);
    const primary = parse(
      await fs.readFile(
        workspace.resolve('istio/tke-saas-primary/primary.yaml'),
        'utf8',
      ),
    );
    expect(primary.spec.values.global.meshID).toBe('mesh-blog0001');
    expect(output.text[0].content).toContain(
      'istio/tke-saas-primary/primary.yaml',
    );
    expect(output.text[0].content).toContain(
      'the files install nothing until the repository applying them runs istioctl install',
    );
  });
});
