import { promises as fs } from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { parse, parseAllDocuments } from 'yaml';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createMeshJoinRemoteAction } from './meshJoinRemote';

const input = {
  cluster: 'tke-saas-remote',
  primaryCluster: 'tke-saas-primary',
  meshId: 'saas-mesh',
  network: 'net-remote',
};

describe('ingress-atlas:mesh:join-remote', () => {
  const workspace = createMockDirectory();
  let world: TestWorld;

  beforeEach(async () => {
    workspace.clear();
    world = await startWorld(['tke-saas-primary', 'tke-saas-remote']);
  });

  afterEach(async () => {
    await world.stop();
  });

  /** The remote secret for the member, in the primary. */
  const remoteSecret = () =>
    world.object(
      'tke-saas-primary',
      '',
      'secrets',
      'istio-system',
      'istio-remote-secret-cls-saas0002',
    );

  const decode = (value: string) =>
    Buffer.from(value, 'base64').toString('utf8');

  it("writes the remote profile and gives the primary a kubeconfig with the member's reader token", async () => {
    const action = createMeshJoinRemoteAction(world.options);
    const { ctx, recorded } = actionContext(input, {
      workspacePath: workspace.path,
    });
    await action.handler(ctx);

    expect(recorded.outputs).toMatchObject({
      secretName: 'istio-remote-secret-cls-saas0002',
      remotePilotAddress: '10.20.0.50',
      changed: true,
    });
    const secret = remoteSecret()!;
    expect(secret.metadata.labels).toEqual({ 'istio/multiCluster': 'true' });
    expect(secret.metadata.annotations).toEqual({
      'networking.istio.io/cluster': 'cls-saas0002',
    });
    const kubeconfig = parse(decode(secret.data['cls-saas0002']));
    const reader = world.object(
      'tke-saas-remote',
      '',
      'secrets',
      'istio-system',
      'istio-reader-service-account-istio-remote-secret-token',
    )!;
    expect(kubeconfig.users[0].user.token).toBe(decode(reader.data.token));
    expect(kubeconfig.clusters[0].cluster).toEqual({
      server: world.cluster('tke-saas-remote').url,
      'certificate-authority-data': reader.data['ca.crt'],
    });
    // The primary holds this Secret already, with the same key: only its (redacted) value changes.
    expect(recorded.outputs.diff).toContain(
      'Secret istio-system/istio-remote-secret-cls-saas0002: only redacted Secret values change',
    );
    expect(recorded.outputs.diff).not.toContain('ATLAS-CANARY');

    const [remote] = [
      parse(
        await fs.readFile(
          workspace.resolve('istio/tke-saas-remote/remote.yaml'),
          'utf8',
        ),
      ),
    ];
    expect(remote.spec).toMatchObject({
      profile: 'remote',
      values: {
        global: {
          meshID: 'saas-mesh',
          multiCluster: { clusterName: 'cls-saas0002' },
          network: 'net-remote',
          remotePilotAddress: '10.20.0.50',
        },
      },
    });

    const revision = world.cluster('tke-saas-primary').store.revision;
    const again = actionContext(input, { workspacePath: workspace.path });
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
    expect(world.cluster('tke-saas-primary').store.revision).toBe(revision);
  });

  it("keeps the replaced remote secret's values in a copy beside it, which the backup names", async () => {
    const secret = () => remoteSecret()!;
    const before = secret().data;
    const action = createMeshJoinRemoteAction(world.options);
    const { ctx, recorded } = actionContext(input, {
      workspacePath: workspace.path,
    });
    await action.handler(ctx);
    expect(secret().data).not.toEqual(before);

    // The task output holds no value, but says where they are.
    const backup = parseAllDocuments(String(recorded.outputs.backup))
      .map(d => d.toJS())
      .find(o => o.kind === 'Secret');
    expect(Object.values(backup.data)).toEqual(['<redacted>']);
    const keptIn =
      backup.metadata.annotations['ingress-atlas.io/values-kept-in'];
    expect(keptIn).toMatch(
      /^Secret istio-system\/istio-remote-secret-cls-saas0002-backup-\d+$/,
    );
    const copy = world.object(
      'tke-saas-primary',
      '',
      'secrets',
      'istio-system',
      keptIn.split('/')[1],
    )!;
    expect(copy.data).toEqual(before);
    expect(copy.metadata.annotations).toEqual({
      'ingress-atlas.io/backup-of': 'istio-remote-secret-cls-saas0002',
    });

    // A second run keeps the first run's copy and makes no new one.
    const again = actionContext(input, { workspacePath: workspace.path });
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
    const { store } = world.cluster('tke-saas-primary');
    expect(
      store
        .list(store.type('', 'secrets')!, 'istio-system')
        .filter(s => s.metadata.name.includes('-backup-')),
    ).toHaveLength(1);
  });

  it('creates the reader token Secret that Kubernetes 1.24 and later no longer create, and uses the token the member issues', async () => {
    // A 1.24+ member: the remote profile made the ServiceAccount, nothing made its token Secret.
    const { store } = world.cluster('tke-saas-remote');
    const secrets = store.type('', 'secrets')!;
    const tokenSecret =
      'istio-reader-service-account-istio-remote-secret-token';
    store.delete(secrets, 'istio-system', tokenSecret);
    const action = createMeshJoinRemoteAction(world.options);

    const dry = actionContext(input, {
      dryRun: true,
      workspacePath: workspace.path,
    });
    await action.handler(dry.ctx);
    expect(dry.recorded.outputs.diff).toContain(
      `+++ Secret istio-system/${tokenSecret}`,
    );
    expect(dry.recorded.logs.join('\n')).toContain(
      'Dry run: a real run would wait for the token of istio-system/istio-reader-service-account on tke-saas-remote',
    );
    expect(store.get(secrets, 'istio-system', tokenSecret)).toBeUndefined();

    const { ctx, recorded } = actionContext(input, {
      workspacePath: workspace.path,
    });
    await action.handler(ctx);
    expect(recorded.outputs.changed).toBe(true);
    const issued = store.get(secrets, 'istio-system', tokenSecret)!;
    expect(issued.metadata.annotations).toEqual({
      'kubernetes.io/service-account.name': 'istio-reader-service-account',
    });
    expect(decode(issued.data.token)).toMatch(/^sandbox-sa-/);
    const remote = remoteSecret()!;
    const kubeconfig = parse(decode(remote.data['cls-saas0002']));
    expect(kubeconfig.users[0].user.token).toBe(decode(issued.data.token));

    const again = actionContext(input, { workspacePath: workspace.path });
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
  });

  it("installs the remote profile of the primary's release on a member without Istio, then joins it", async () => {
    // A member where Istio never ran: no istio-system, no reader account.
    const { store } = world.cluster('tke-saas-remote');
    store.delete(store.type('', 'namespaces')!, '', 'istio-system');
    const action = createMeshJoinRemoteAction(world.options);

    // Without apply, nothing on the member could give the primary a reader token.
    await expect(
      action.handler(
        actionContext(input, { workspacePath: workspace.path }).ctx,
      ),
    ).rejects.toThrow(
      /tke-saas-remote has no ServiceAccount istio-system\/istio-reader-service-account; install the remote profile there first \(it creates the account\), or run with apply/,
    );

    const revision = store.revision;
    const dry = actionContext(
      { ...input, apply: true },
      { dryRun: true, workspacePath: workspace.path },
    );
    await action.handler(dry.ctx);
    expect(store.revision).toBe(revision);
    expect(dry.recorded.outputs.installed).toBe(false);
    expect(dry.recorded.outputs.diff).toContain('+++ Namespace istio-system');
    expect(dry.recorded.outputs.diff).toContain(
      '+++ Job istio-system/istio-install-default-',
    );

    const run = actionContext(
      { ...input, apply: true },
      { workspacePath: workspace.path },
    );
    await action.handler(run.ctx);
    expect(run.recorded.outputs).toMatchObject({
      installed: true,
      changed: true,
    });
    // Istio's remote install: the namespace carries the member's network and names the
    // primary; istioctl of the primary's release (its istiod runs pilot:1.18.5) installs the
    // remote profile, whose injection path names the member's cluster and network.
    const namespace = world.object(
      'tke-saas-remote',
      '',
      'namespaces',
      '',
      'istio-system',
    )!;
    expect(namespace.metadata.labels).toMatchObject({
      'topology.istio.io/network': 'net-remote',
    });
    expect(namespace.metadata.annotations).toMatchObject({
      'topology.istio.io/controlPlaneClusters': 'cls-saas0001',
    });
    const job = store
      .list(store.type('batch', 'jobs')!, 'istio-system')
      .find(j => j.metadata.name.startsWith('istio-install-default-'))!;
    expect(job.spec.template.spec.containers[0].image).toBe(
      'docker.io/istio/istioctl:1.18.5',
    );
    expect(job.status.succeeded).toBe(1);
    const operator = parse(
      world.object(
        'tke-saas-remote',
        '',
        'configmaps',
        'istio-system',
        job.metadata.name,
      )!.data['istio-operator.yaml'],
    );
    expect(operator.spec).toMatchObject({
      profile: 'remote',
      values: {
        istiodRemote: {
          injectionPath: '/inject/cluster/cls-saas0002/net/net-remote',
        },
        global: { remotePilotAddress: '10.20.0.50' },
      },
    });
    // The remote profile runs no istiod of its own.
    expect(
      store
        .list(store.type('apps', 'deployments')!, 'istio-system')
        .map(d => d.metadata.name),
    ).not.toContain('istiod');
    expect(run.recorded.logs.join('\n')).toContain(
      'The remote profile 1.18.5 is installed on tke-saas-remote',
    );
    // The primary reads the member with the token the member issued to the new account.
    const issued = world.object(
      'tke-saas-remote',
      '',
      'secrets',
      'istio-system',
      'istio-reader-service-account-istio-remote-secret-token',
    )!;
    const kubeconfig = parse(decode(remoteSecret()!.data['cls-saas0002']));
    expect(kubeconfig.users[0].user.token).toBe(decode(issued.data.token));

    const again = actionContext(
      { ...input, apply: true },
      { workspacePath: workspace.path },
    );
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
  });

  it("says how the clusters' VPCs meet, and warns when the cloud shows no path between them", async () => {
    const action = createMeshJoinRemoteAction(world.options);
    const peered = actionContext(input, {
      dryRun: true,
      workspacePath: workspace.path,
    });
    await action.handler(peered.ctx);
    // The seed peers the SaaS VPCs (pcx-saas0001).
    expect(peered.recorded.logs.join('\n')).toContain(
      "Preflight ok: the clusters' VPCs meet: peering connection pcx-saas0001 joins tke-saas-remote (vpc-sh000002) and tke-saas-primary (vpc-sh000001)",
    );

    // The edge cluster's VPC (Guangzhou) has no peering or CCN with the SaaS primary's.
    const apart = await startWorld(['tke-saas-primary', 'edge']);
    try {
      const joinEdge = createMeshJoinRemoteAction(apart.options);
      const { ctx, recorded } = actionContext(
        { ...input, cluster: 'edge', network: 'edge', apply: true },
        { dryRun: true, workspacePath: workspace.path },
      );
      await joinEdge.handler(ctx);
      expect(recorded.logs.join('\n')).toContain(
        "no active peering connection or CCN joins edge (vpc-gz000002) and tke-saas-primary (vpc-sh000001): the member's proxies cannot reach istiod at 10.20.0.50, nor can istiod read the member's API server",
      );
    } finally {
      await apart.stop();
    }
  });

  it('refuses to join a cluster to itself', async () => {
    const action = createMeshJoinRemoteAction(world.options);
    await expect(
      action.handler(
        actionContext(
          { ...input, cluster: 'tke-saas-primary' },
          { workspacePath: workspace.path },
        ).ctx,
      ),
    ).rejects.toThrow(/the member cluster is the primary itself/);
  });
});
