import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { sandboxKubeconfig } from '../kubeconfig';
import { startSandbox } from '../startSandbox';
import { generateEstate } from './generateEstate';

describe('generateEstate', () => {
  it('gives the same estate for the same seed, and another for another seed', () => {
    const options = { clusters: 2, servicesPerCluster: 50 };
    expect(JSON.stringify(generateEstate({ ...options, seed: 7 }))).toBe(
      JSON.stringify(generateEstate({ ...options, seed: 7 })),
    );
    expect(JSON.stringify(generateEstate({ ...options, seed: 7 }))).not.toBe(
      JSON.stringify(generateEstate({ ...options, seed: 8 })),
    );
  });

  it('rejects sizes it cannot build, naming them', () => {
    expect(() =>
      generateEstate({ clusters: 0, servicesPerCluster: 10 }),
    ).toThrow(/1\.\.200 clusters/);
  });

  it('is served like the demo estates, ports basePort + i, with pods, Endpoints and routes', async () => {
    const sandbox = await startSandbox({
      generated: generateEstate({
        clusters: 2,
        servicesPerCluster: 300,
        namespacesPerCluster: 6,
      }),
      basePort: 0,
    });
    try {
      expect(Object.keys(sandbox.clusters)).toEqual(['scale-000', 'scale-001']);
      const config = new KubeConfig();
      config.loadFromString(
        sandboxKubeconfig({ 'scale-001': sandbox.clusters['scale-001'] }),
      );
      const core = config.makeApiClient(CoreV1Api);
      const custom = config.makeApiClient(CustomObjectsApi);

      let services = 0;
      let token: string | undefined;
      do {
        const page = await core.listServiceForAllNamespaces({
          limit: 100,
          _continue: token,
        });
        services += page.items.length;
        token = page.metadata?._continue;
      } while (token);
      // 300 application Services, 4 gateways and the kubernetes Service
      expect(services).toBe(305);

      const endpoints = await core.readNamespacedEndpoints({
        name: 'svc-42',
        namespace: 'team-02',
      });
      expect(endpoints.subsets?.[0].addresses).toHaveLength(1);
      const routes: any = await custom.listClusterCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'virtualservices',
      });
      expect(routes.items).toHaveLength(300);
      const gateway = await core.readNamespacedService({
        name: 'gateway-0',
        namespace: 'istio-system',
      });
      expect(gateway.status?.loadBalancer?.ingress).toEqual([
        { ip: '198.18.1.10' },
      ]);
    } finally {
      await sandbox.stop();
    }
  });
});
