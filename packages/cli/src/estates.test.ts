import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEstates } from './estates';

describe('loadEstates', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-estates-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads an estates folder with the nodes and load balancer addresses it describes', async () => {
    await fs.mkdir(path.join(dir, 'edge'));
    await fs.writeFile(
      path.join(dir, 'estates.yaml'),
      [
        'clusters:',
        '  - name: edge',
        '    provider: tencent',
        '    region: ap-guangzhou',
        '    cloudClusterId: cls-edge0001',
        '    vpcCni: false',
        '    nodes: [{ name: 10.0.1.11, internalIp: 10.0.1.11, externalIp: 192.0.2.11, labels: { role: edge-gateway } }]',
        '    loadBalancers: { web/web: 192.0.2.4 }',
      ].join('\n'),
    );
    await fs.writeFile(
      path.join(dir, 'edge', 'web.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: web }\nspec: { type: LoadBalancer }\n',
    );
    const [edge] = await loadEstates(dir);
    expect(edge.inventory.cluster).toMatchObject({
      name: 'edge',
      provider: 'tencent',
      cloudClusterId: 'cls-edge0001',
      facts: { vpcCni: false },
    });
    expect(edge.inventory.objects.nodes?.[0].status.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.1.11' },
      { type: 'ExternalIP', address: '192.0.2.11' },
    ]);
    expect(
      edge.inventory.objects.services?.[0].status.loadBalancer.ingress,
    ).toEqual([{ ip: '192.0.2.4' }]);
  });
});
