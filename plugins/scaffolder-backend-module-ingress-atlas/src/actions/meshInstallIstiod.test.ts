import { promises as fs } from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { parseAllDocuments } from 'yaml';
import {
  CheckpointStore,
  Recorded,
  TestWorld,
  actionContext,
  startWorld,
} from '../__testUtils__/sandbox';
import { testPluginCa } from '../__testUtils__/testCa';
import { createMeshInstallIstiodAction } from './meshInstallIstiod';

const input = {
  cluster: 'tke-saas-primary',
  meshId: 'saas-mesh',
  network: 'net-primary',
  revision: '1-18-5',
  tag: '1.18.5',
  eastWestSubnetId: 'subnet-saas0001',
};

describe('ingress-atlas:mesh:install-istiod', () => {
  const workspace = createMockDirectory();
  let world: TestWorld;

  beforeEach(async () => {
    workspace.clear();
    world = await startWorld(['tke-saas-primary', 'tke-blog', 'tke-next']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const documents = async (file: string) =>
    parseAllDocuments(
      await fs.readFile(
        workspace.resolve(`istio/tke-saas-primary/${file}`),
        'utf8',
      ),
    ).map(d => d.toJS());

  it('writes the primary, east-west gateway and istiod exposure for a pull request', async () => {
    const action = createMeshInstallIstiodAction(world.options);
    const revision = world.cluster('tke-saas-primary').store.revision;
    const { ctx, recorded } = actionContext(input, {
      workspacePath: workspace.path,
    });
    await action.handler(ctx);

    expect(recorded.outputs.files).toEqual([
      'istio/tke-saas-primary/primary.yaml',
      'istio/tke-saas-primary/expose-istiod.yaml',
      'istio/tke-saas-primary/expose-services.yaml',
      'istio/tke-saas-primary/README.md',
    ]);
    expect(recorded.outputs.applied).toBe(false);
    expect(world.cluster('tke-saas-primary').store.revision).toBe(revision);

    // One IstioOperator for the cluster: `istioctl install -f primary.yaml` installs istiod
    // and the east-west gateway together, and no public ingress gateway.
    const operators = await documents('primary.yaml');
    expect(operators).toHaveLength(1);
    const [primary] = operators;
    expect(primary.spec.components.ingressGateways).toContainEqual({
      name: 'istio-ingressgateway',
      enabled: false,
    });
    expect(primary).toMatchObject({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      spec: {
        revision: '1-18-5',
        tag: '1.18.5',
        values: {
          global: {
            meshID: 'saas-mesh',
            multiCluster: { clusterName: 'cls-saas0001' },
            network: 'net-primary',
            externalIstiod: true,
          },
          pilot: { env: { EXTERNAL_ISTIOD: true } },
        },
      },
    });

    const gateway = primary.spec.components.ingressGateways.find(
      (g: { name: string }) => g.name === 'istio-eastwestgateway',
    );
    expect(gateway).toMatchObject({
      enabled: true,
      name: 'istio-eastwestgateway',
      label: {
        istio: 'eastwestgateway',
        'topology.istio.io/network': 'net-primary',
      },
      k8s: {
        env: [
          { name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'net-primary' },
        ],
        serviceAnnotations: {
          'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid':
            'subnet-saas0001',
        },
      },
    });
    expect(
      gateway.k8s.service.ports.map((p: { port: number }) => p.port),
    ).toEqual([15021, 15443, 15012, 15017]);

    const [istiodGateway, istiodVs] = await documents('expose-istiod.yaml');
    expect(istiodGateway).toMatchObject({
      kind: 'Gateway',
      metadata: { name: 'istiod-gateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'eastwestgateway' },
        servers: [
          {
            port: { name: 'tls-istiod', number: 15012, protocol: 'tls' },
            tls: { mode: 'PASSTHROUGH' },
            hosts: ['*'],
          },
          {
            port: { name: 'tls-istiodwebhook', number: 15017, protocol: 'tls' },
            tls: { mode: 'PASSTHROUGH' },
            hosts: ['*'],
          },
        ],
      },
    });
    expect(istiodVs.spec.tls).toEqual([
      {
        match: [{ port: 15012, sniHosts: ['*'] }],
        route: [
          {
            destination: {
              host: 'istiod-1-18-5.istio-system.svc.cluster.local',
              port: { number: 15012 },
            },
          },
        ],
      },
      {
        match: [{ port: 15017, sniHosts: ['*'] }],
        route: [
          {
            destination: {
              host: 'istiod-1-18-5.istio-system.svc.cluster.local',
              port: { number: 443 },
            },
          },
        ],
      },
    ]);
    const [crossNetwork] = await documents('expose-services.yaml');
    expect(crossNetwork.spec.servers).toEqual([
      {
        port: { number: 15443, name: 'tls', protocol: 'TLS' },
        tls: { mode: 'AUTO_PASSTHROUGH' },
        hosts: ['*.local'],
      },
    ]);

    const again = actionContext(input, { workspacePath: workspace.path });
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
  });

  it('says which root CA istiod will sign with, and refuses an incomplete plug-in CA', async () => {
    const action = createMeshInstallIstiodAction(world.options);
    const { store } = world.cluster('tke-saas-primary');
    const secrets = store.type('', 'secrets')!;
    // The estate plugs in its organisation's root; a cluster without one first.
    store.delete(secrets, 'istio-system', 'cacerts');
    const selfSigned = actionContext(input, { workspacePath: workspace.path });
    await action.handler(selfSigned.ctx);
    expect(selfSigned.recorded.logs.join('\n')).toContain(
      'No Secret istio-system/cacerts on cluster tke-saas-primary: istiod makes a self-signed root of its own, and a later control plane with another root cannot share this data plane',
    );

    const pem = Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64');
    store.create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cacerts', namespace: 'istio-system' },
      data: { 'ca-cert.pem': pem, 'ca-key.pem': pem, 'root-cert.pem': pem },
    });
    await expect(
      action.handler(
        actionContext(input, { workspacePath: workspace.path }).ctx,
      ),
    ).rejects.toThrow(
      /Secret istio-system\/cacerts lacks cert-chain\.pem: istiod needs all four/,
    );

    const cacerts = store.get(secrets, 'istio-system', 'cacerts')!;
    store.update(secrets, {
      ...cacerts,
      data: { ...cacerts.data, 'cert-chain.pem': pem },
    });
    const plugged = actionContext(input, { workspacePath: workspace.path });
    await action.handler(plugged.ctx);
    const logs = plugged.recorded.logs.join('\n');
    expect(logs).toContain(
      'Preflight ok: istiod signs with the plug-in CA in Secret istio-system/cacerts',
    );
    // Only key names are read: no value reaches the task log.
    expect(logs).not.toContain(pem);

    // istiod also takes the kubernetes.io/tls layout.
    store.update(secrets, {
      ...store.get(secrets, 'istio-system', 'cacerts')!,
      data: { 'tls.crt': pem, 'tls.key': pem, 'ca.crt': pem },
    });
    const tlsLayout = actionContext(input, { workspacePath: workspace.path });
    await action.handler(tlsLayout.ctx);
    expect(tlsLayout.recorded.logs.join('\n')).toContain(
      'Preflight ok: istiod signs with the plug-in CA in Secret istio-system/cacerts',
    );
  });

  it('refuses a TKE east-west gateway without an internal CLB', async () => {
    const action = createMeshInstallIstiodAction(world.options);
    const { eastWestSubnetId: _, ...withoutLb } = input;
    await expect(
      action.handler(
        actionContext(withoutLb, { workspacePath: workspace.path }).ctx,
      ),
    ).rejects.toThrow(/needs eastWestSubnetId or eastWestLoadBalancerId/);
  });

  it('applies the manifests when asked, shows a dry run first, and a second run changes nothing', async () => {
    const action = createMeshInstallIstiodAction(world.options);
    const cluster = world.cluster('tke-saas-primary');
    const revision = cluster.store.revision;

    const dry = actionContext(
      { ...input, apply: true },
      { dryRun: true, workspacePath: workspace.path },
    );
    await action.handler(dry.ctx);
    expect(cluster.store.revision).toBe(revision);
    expect(dry.recorded.outputs.diff).toContain(
      '+++ Job istio-system/istio-install-1-18-5-',
    );

    const run = actionContext(
      { ...input, apply: true },
      { workspacePath: workspace.path },
    );
    await action.handler(run.ctx);
    expect(run.recorded.outputs).toMatchObject({
      applied: true,
      changed: true,
      istiodReady: true,
    });
    // An IstioOperator object alone installs nothing (Istio's in-cluster operator is gone
    // since 1.24): a Job runs istioctl install of the requested version with it, and the step
    // ends once istiod and the east-west gateway of that version are Ready.
    const job = cluster.store
      .list(cluster.store.type('batch', 'jobs')!, 'istio-system')
      .find(j => j.metadata.name.startsWith('istio-install-1-18-5-'))!;
    expect(job.spec.template.spec.containers[0]).toMatchObject({
      image: 'docker.io/istio/istioctl:1.18.5',
      args: ['install', '-y', '-f', '/etc/istio-installer/istio-operator.yaml'],
    });
    const istiod = world.object(
      'tke-saas-primary',
      'apps',
      'deployments',
      'istio-system',
      'istiod-1-18-5',
    )!;
    expect(istiod.spec.template.spec.containers[0].image).toBe(
      'docker.io/istio/pilot:1.18.5',
    );
    expect(istiod.status.readyReplicas).toBeGreaterThan(0);
    expect(
      world.object(
        'tke-saas-primary',
        'apps',
        'deployments',
        'istio-system',
        'istio-eastwestgateway',
      )!.status.readyReplicas,
    ).toBeGreaterThan(0);
    expect(run.recorded.logs.join('\n')).toContain(
      'istiod-1-18-5 runs 1.18.5 and is Ready',
    );
    expect(
      world.object(
        'tke-saas-primary',
        'networking.istio.io',
        'gateways',
        'istio-system',
        'istiod-gateway',
      ),
    ).toBeDefined();
    expect(
      world.object(
        'tke-saas-primary',
        'networking.istio.io',
        'virtualservices',
        'istio-system',
        'istiod-vs',
      ),
    ).toBeDefined();
    expect(
      world.object(
        'tke-saas-primary',
        'install.istio.io',
        'istiooperators',
        'istio-system',
        'installed-state-1-18-5',
      ),
    ).toBeDefined();
    const operators = cluster.store
      .list(cluster.store.type('install.istio.io', 'istiooperators')!)
      .filter(o => o.metadata.namespace === 'istio-system');
    // The seed's default-revision install, and this revision's, each where istioctl keeps it.
    expect(operators.map(o => o.metadata.name).sort()).toEqual([
      'installed-state',
      'installed-state-1-18-5',
    ]);
    expect(operators[1].spec.components.ingressGateways).toContainEqual({
      name: 'istio-ingressgateway',
      enabled: false,
    });

    const applied = cluster.store.revision;
    const again = actionContext(
      { ...input, apply: true },
      { workspacePath: workspace.path },
    );
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
    expect(cluster.store.revision).toBe(applied);
  });

  it('refuses to apply on a cluster whose mesh TCM manages', async () => {
    const action = createMeshInstallIstiodAction(world.options);
    const cluster = world.cluster('tke-blog');
    const revision = cluster.store.revision;
    await expect(
      action.handler(
        actionContext(
          { ...input, cluster: 'tke-blog', apply: true },
          { workspacePath: workspace.path },
        ).ctx,
      ),
    ).rejects.toThrow(/cluster tke-blog runs a TCM-managed mesh/);
    expect(cluster.store.revision).toBe(revision);
  });

  describe("plugging in the organisation's root", () => {
    // The organisation's CA, kept in a namespace of its own on tke-blog (a platform cluster).
    const orgCa = testPluginCa('Org');
    const source = {
      caSecretCluster: 'tke-blog',
      caSecretNamespace: 'platform-ca',
      caSecretName: 'org-root-ca',
    };
    const onNext = {
      cluster: 'tke-next',
      meshId: 'mesh-blog0001',
      network: 'net-primary',
      tag: '1.18.5',
      eastWestSubnetId: 'subnet-gz000012',
      ...source,
    };
    const root =
      /"O=Ingress Atlas tests, CN=Org test-only root CA" \(SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}, valid until \d{4}-\d{2}-\d{2}\)/;

    const seed = (data: Record<string, string>) => {
      const { store } = world.cluster('tke-blog');
      if (!store.get(store.type('', 'namespaces')!, '', 'platform-ca')) {
        store.create(store.type('', 'namespaces')!, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'platform-ca' },
        });
      }
      const secrets = store.type('', 'secrets')!;
      if (store.get(secrets, 'platform-ca', 'org-root-ca')) {
        store.delete(secrets, 'platform-ca', 'org-root-ca');
      }
      store.create(secrets, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'org-root-ca', namespace: 'platform-ca' },
        type: 'Opaque',
        data,
      });
    };
    const cacerts = (cluster: string) =>
      world.object(cluster, '', 'secrets', 'istio-system', 'cacerts');
    const revisions = () =>
      world.sandbox.running.map(cluster => cluster.store.revision);

    /** Everything a user sees of a run: log lines, outputs and the error. */
    const shown = (recorded: Recorded, error?: unknown) =>
      [
        ...recorded.logs,
        JSON.stringify(recorded.outputs),
        error ? String((error as Error).message) : '',
      ].join('\n');
    const expectNoKeyMaterial = (text: string) => {
      expect(text).not.toContain('-----BEGIN');
      expect(text).not.toContain('ATLAS-CANARY');
      for (const value of Object.values(orgCa)) {
        expect(text).not.toContain(value.slice(0, 24));
        expect(text).not.toContain(
          Buffer.from(value, 'base64').toString('utf8').slice(28, 60),
        );
      }
    };

    async function refusal(given: typeof onNext) {
      const { ctx, recorded } = actionContext(given, {
        workspacePath: workspace.path,
      });
      const error = await createMeshInstallIstiodAction(world.options)
        .handler(ctx)
        .then(
          () => new Error('the action accepted it'),
          (e: Error) => e,
        );
      expectNoKeyMaterial(shown(recorded, error));
      return error.message;
    }

    it('copies it into istio-system/cacerts of a new cluster before istiod is installed, after a dry run that changes nothing', async () => {
      seed(orgCa);
      const action = createMeshInstallIstiodAction(world.options);
      const installing = { ...onNext, apply: true };
      const before = revisions();

      const dry = actionContext(installing, {
        dryRun: true,
        workspacePath: workspace.path,
      });
      await action.handler(dry.ctx);
      expect(revisions()).toEqual(before);
      const preview = shown(dry.recorded);
      expect(preview).toContain(
        'Dry run: a real run would copy the plug-in CA of Secret platform-ca/org-root-ca on cluster tke-blog (keys ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem) to istio-system/cacerts on cluster tke-next before istiod is installed',
      );
      expect(preview).toMatch(
        new RegExp(`Preflight ok: istiod will sign with root ${root.source}`),
      );
      expect(dry.recorded.outputs.rootCa).toMatch(root);
      expect(dry.recorded.outputs.diff).toContain(
        '+++ Secret istio-system/cacerts',
      );
      expect(dry.recorded.outputs.diff).toContain('ca-key.pem: <redacted>');
      expectNoKeyMaterial(preview);

      const run = actionContext(installing, { workspacePath: workspace.path });
      await action.handler(run.ctx);
      expect(run.recorded.outputs).toMatchObject({
        applied: true,
        istiodReady: true,
      });
      expectNoKeyMaterial(shown(run.recorded));
      const copied = cacerts('tke-next')!;
      expect(copied.data).toEqual(orgCa);
      expect(copied.metadata.annotations).toMatchObject({
        'ingress-atlas.io/copied-from': 'tke-blog/platform-ca/org-root-ca',
      });
      // In place before the installer Job started istiod.
      const { store } = world.cluster('tke-next');
      const job = store
        .list(store.type('batch', 'jobs')!, 'istio-system')
        .find(j => j.metadata.name.startsWith('istio-install-'))!;
      expect(Number(copied.metadata.resourceVersion)).toBeLessThan(
        Number(job.metadata.resourceVersion),
      );
      const logs = run.recorded.logs.join('\n');
      expect(logs.indexOf('Created Secret istio-system/cacerts')).toBeLessThan(
        logs.indexOf('Created Job istio-system/istio-install-'),
      );
      const readme = await fs.readFile(
        workspace.resolve('istio/tke-next/README.md'),
        'utf8',
      );
      expect(readme).toMatch(root);
      expectNoKeyMaterial(readme);

      const again = actionContext(installing, {
        workspacePath: workspace.path,
      });
      await action.handler(again.ctx);
      expect(again.recorded.outputs.changed).toBe(false);
      expect(again.recorded.logs.join('\n')).toContain(
        'Preflight ok: Secret istio-system/cacerts on cluster tke-next holds this CA already',
      );
    });

    it('refuses a Secret that is no usable plug-in CA, naming what is wrong, and changes nothing', async () => {
      const before = () => world.cluster('tke-next').store.revision;
      const revision = before();
      const { 'cert-chain.pem': _, ...incomplete } = orgCa;
      seed(incomplete);
      expect(await refusal(onNext)).toMatch(
        /Secret platform-ca\/org-root-ca on cluster tke-blog cannot be istiod's plug-in CA: it lacks cert-chain\.pem/,
      );

      // Another organisation's root: the CA certificate does not chain to it.
      const other = testPluginCa('Other');
      seed({ ...orgCa, 'root-cert.pem': other['root-cert.pem'] });
      expect(await refusal(onNext)).toMatch(
        /ca-cert\.pem does not chain to root-cert\.pem/,
      );
      seed({ ...orgCa, 'ca-key.pem': other['ca-key.pem'] });
      expect(await refusal(onNext)).toMatch(
        /ca-key\.pem is not the private key of ca-cert\.pem/,
      );
      expect(await refusal({ ...onNext, caSecretName: 'no-such-ca' })).toMatch(
        /Secret platform-ca\/no-such-ca on cluster tke-blog does not exist/,
      );
      expect(before()).toBe(revision);
      expect(cacerts('tke-next')).toBeUndefined();
    });

    it('refuses a cluster holding another CA unless replaceCacerts, then keeps the old one in a backup', async () => {
      seed(orgCa);
      const action = createMeshInstallIstiodAction(world.options);
      // The sandbox's tke-saas-primary has a cacerts of its own, with a key the copy lacks.
      const old = cacerts('tke-saas-primary')!;
      const onPrimary = { ...input, ...source };
      expect(await refusal(onPrimary)).toMatch(
        /Secret istio-system\/cacerts on cluster tke-saas-primary holds another CA \(root "O=cluster\.local" \(SHA-256 [0-9A-F:]+, valid until 2034-02-17\)\); set replaceCacerts to replace it/,
      );
      expect(cacerts('tke-saas-primary')!.data).toEqual(old.data);

      // apply is off: the files go to the workspace, the CA onto the cluster (never into files).
      const replace = actionContext(
        { ...onPrimary, replaceCacerts: true },
        { workspacePath: workspace.path },
      );
      await action.handler(replace.ctx);
      expect(cacerts('tke-saas-primary')!.data).toEqual(orgCa);
      const backup = world.object(
        'tke-saas-primary',
        '',
        'secrets',
        'istio-system',
        `cacerts-backup-${old.metadata.resourceVersion}`,
      )!;
      expect(backup.data).toEqual(old.data);
      expect(replace.recorded.outputs.backup).toContain(
        'ca-key.pem: <redacted>',
      );
      expect(replace.recorded.outputs.changed).toBe(true);
      expect(replace.recorded.logs.join('\n')).toContain(
        'Removed canary from Secret istio-system/cacerts on cluster tke-saas-primary',
      );
      expect(replace.recorded.logs.join('\n')).toContain(
        'apply is off, so only the plug-in CA went onto cluster tke-saas-primary',
      );
      expectNoKeyMaterial(shown(replace.recorded));
      const files = await fs.readFile(
        workspace.resolve('istio/tke-saas-primary/README.md'),
        'utf8',
      );
      expectNoKeyMaterial(files);
    });

    it('does not copy again when the task resumes after the copy, and still reports what it replaced', async () => {
      seed(orgCa);
      const action = createMeshInstallIstiodAction(world.options);
      const old = cacerts('tke-saas-primary')!;
      const replacing = { ...input, ...source, replaceCacerts: true };
      const checkpoints = new CheckpointStore();
      checkpoints.loseWorkerAfter('.root-ca');
      await expect(
        action.handler(
          actionContext(replacing, {
            checkpoints,
            workspacePath: workspace.path,
          }).ctx,
        ),
      ).rejects.toThrow('worker lost');
      expect(cacerts('tke-saas-primary')!.data).toEqual(orgCa);
      const copied = cacerts('tke-saas-primary')!.metadata.resourceVersion;

      const resumed = actionContext(replacing, {
        checkpoints,
        workspacePath: workspace.path,
      });
      await action.handler(resumed.ctx);
      expect(cacerts('tke-saas-primary')!.metadata.resourceVersion).toBe(
        copied,
      );
      expect(resumed.recorded.outputs.changed).toBe(true);
      expect(resumed.recorded.outputs.backup).toContain(
        `Secret istio-system/cacerts-backup-${old.metadata.resourceVersion}`,
      );
      expect(
        checkpoints.runs.filter(key => key.endsWith('.root-ca')),
      ).toHaveLength(1);
    });
  });
});
