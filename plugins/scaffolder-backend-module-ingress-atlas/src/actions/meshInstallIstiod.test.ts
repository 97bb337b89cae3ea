import { promises as fs } from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { parseAllDocuments } from 'yaml';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
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
    world = await startWorld(['tke-saas-primary', 'tke-blog']);
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
});
