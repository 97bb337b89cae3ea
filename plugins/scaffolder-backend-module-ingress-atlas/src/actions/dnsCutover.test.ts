import {
  CheckpointStore,
  TestWorld,
  actionContext,
  startWorld,
} from '../__testUtils__/sandbox';
import { createDnsCutoverAction } from './dnsCutover';
import { createGatewayBindEipAction } from './gatewayBindEip';

describe('ingress-atlas:dns:cutover', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const blogRecord = async () => {
    const { RecordList = [] } = await world.dnspod().DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
      RecordType: 'A',
    });
    return RecordList.find(r => r.Name === 'blog')!;
  };

  const input = {
    domain: 'example.com',
    subDomain: 'blog',
    value: '203.0.113.10',
  };

  it('moves the record, keeps its TTL and outputs the old value; a second run changes nothing', async () => {
    const action = createDnsCutoverAction(world.options);
    const first = actionContext(input);
    await action.handler(first.ctx);

    const record = await blogRecord();
    expect(record.Value).toBe('203.0.113.10');
    expect(record.TTL).toBe(600);
    expect(first.recorded.outputs).toMatchObject({
      previousValue: '198.51.100.11',
      previousTtl: 600,
      value: '203.0.113.10',
      ttl: 600,
      changed: true,
      rollback: {
        domain: 'example.com',
        subDomain: 'blog',
        recordType: 'A',
        values: ['198.51.100.11'],
        ttl: 600,
      },
    });
    expect(first.recorded.outputs.diff).toContain(
      '-blog.example.com. 600 IN A 198.51.100.11',
    );
    expect(first.recorded.outputs.diff).toContain(
      '+blog.example.com. 600 IN A 203.0.113.10',
    );

    const second = actionContext(input);
    await action.handler(second.ctx);
    expect(second.recorded.outputs.changed).toBe(false);
    expect(second.recorded.logs.join('\n')).toContain('Nothing to change');
    expect((await blogRecord()).UpdatedOn).toBe(record.UpdatedOn);
  });

  it('sends the requested TTL', async () => {
    const action = createDnsCutoverAction(world.options);
    const { ctx } = actionContext({ ...input, ttl: 60 });
    await action.handler(ctx);
    const record = await blogRecord();
    expect(record.TTL).toBe(60);
    expect(record.Value).toBe('203.0.113.10');
  });

  it('changes nothing on a dry run', async () => {
    const action = createDnsCutoverAction(world.options);
    const { ctx, recorded } = actionContext(input, { dryRun: true });
    await action.handler(ctx);
    expect((await blogRecord()).Value).toBe('198.51.100.11');
    expect(recorded.outputs.diff).toContain(
      '+blog.example.com. 600 IN A 203.0.113.10',
    );
    expect(recorded.outputs.changed).toBe(false);
  });

  it('still reports the value from before the task when it resumes after the change', async () => {
    const action = createDnsCutoverAction(world.options);
    const checkpoints = new CheckpointStore();
    checkpoints.loseWorkerAfter('.modify');
    await expect(
      action.handler(actionContext(input, { checkpoints }).ctx),
    ).rejects.toThrow('worker lost');
    expect((await blogRecord()).Value).toBe('203.0.113.10');

    const resumed = actionContext(input, { checkpoints });
    await action.handler(resumed.ctx);
    expect(resumed.recorded.outputs.previousValue).toBe('198.51.100.11');
    expect(resumed.recorded.outputs.changed).toBe(true);
    expect(checkpoints.runs.filter(k => k.endsWith('.modify'))).toHaveLength(1);
  });

  const blogRecords = async () => {
    const { RecordList = [] } = await world.dnspod().DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
      RecordType: 'A',
    });
    return RecordList.filter(r => r.Name === 'blog');
  };

  it('publishes every gateway address as its own A record, and the rollback restores the one before', async () => {
    const action = createDnsCutoverAction(world.options);
    const values = ['203.0.113.10', '203.0.113.11', '203.0.113.12'];
    const first = actionContext({
      domain: 'example.com',
      subDomain: 'blog',
      values,
    });
    await action.handler(first.ctx);

    const records = await blogRecords();
    expect(records.map(r => r.Value).sort()).toEqual(values);
    expect(records.every(r => r.TTL === 600)).toBe(true);
    expect(first.recorded.outputs).toMatchObject({
      previousValues: ['198.51.100.11'],
      values,
      changed: true,
      rollback: { values: ['198.51.100.11'], ttl: 600 },
    });
    for (const value of values) {
      expect(first.recorded.outputs.diff).toContain(
        `+blog.example.com. 600 IN A ${value}`,
      );
    }

    // Scaled down to two pods: the third address leaves DNS.
    const scaled = actionContext({
      domain: 'example.com',
      subDomain: 'blog',
      values: values.slice(0, 2),
    });
    await action.handler(scaled.ctx);
    expect((await blogRecords()).map(r => r.Value).sort()).toEqual(
      values.slice(0, 2),
    );

    const rollback = actionContext(first.recorded.outputs.rollback as any);
    await action.handler(rollback.ctx);
    expect((await blogRecords()).map(r => r.Value)).toEqual(['198.51.100.11']);
  });

  it("publishes the EIPs of a gateway's pods as they are when it runs, so a run after scaling adds the new pod's", async () => {
    const bind = createGatewayBindEipAction(world.options);
    await bind.handler(
      actionContext({
        cluster: 'tke-blog',
        namespace: 'istio-system',
        gateway: 'istio-ingressgateway',
        replicas: 2,
        timeoutSeconds: 20,
      }).ctx,
    );
    const podEip = (ordinal: number) =>
      world.object(
        'tke-blog',
        '',
        'pods',
        'istio-system',
        `istio-ingressgateway-${ordinal}`,
      )?.metadata.annotations?.['tke.cloud.tencent.com/eip-public-ip'];
    const published = async () => {
      const { RecordList = [] } = await world.dnspod().DescribeRecordList({
        Domain: 'example.com',
        Subdomain: 'blog',
        RecordType: 'A',
      });
      return RecordList.map(r => r.Value).sort();
    };
    const fromGateway = {
      domain: 'example.com',
      subDomain: 'blog',
      gateway: { cluster: 'tke-blog' },
    };
    const action = createDnsCutoverAction(world.options);
    await action.handler(actionContext(fromGateway).ctx);
    expect(await published()).toEqual([podEip(0), podEip(1)].sort());

    // The operator (or an autoscaler) adds a pod, through the API server: it gets its own EIP.
    const cluster = await world.options.clusters.connect('tke-blog');
    await cluster.objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { namespace: 'istio-system', name: 'istio-ingressgateway' },
        spec: { replicas: 3 },
      },
      undefined,
      undefined,
      'kubectl-scale',
      undefined,
      'application/merge-patch+json',
    );
    expect(podEip(2)).toBeTruthy();

    const again = actionContext(fromGateway);
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(true);
    expect(await published()).toEqual([podEip(0), podEip(1), podEip(2)].sort());
  });

  it('previews nothing for a gateway whose pods hold no EIPs yet, and refuses it for real', async () => {
    const action = createDnsCutoverAction(world.options);
    const fromGateway = {
      domain: 'example.com',
      subDomain: 'blog',
      gateway: { cluster: 'tke-blog' },
    };
    const dry = actionContext(fromGateway, { dryRun: true });
    await action.handler(dry.ctx);
    expect(dry.recorded.outputs.diff).toBe('');
    expect((await blogRecord()).Value).toBe('198.51.100.11');
    await expect(
      action.handler(actionContext(fromGateway).ctx),
    ).rejects.toThrow(/the gateway StatefulSet does not exist/);
  });

  it('refuses addresses and a gateway together', async () => {
    const action = createDnsCutoverAction(world.options);
    await expect(
      action.handler(
        actionContext({ ...input, gateway: { cluster: 'tke-blog' } }).ctx,
      ),
    ).rejects.toThrow(/give values \(or value\) or gateway, not both/);
  });

  it('lowers the TTL first, waits out the old one, moves the records, waits out the TTL in effect and checks DNSPod', async () => {
    const action = createDnsCutoverAction(world.options);
    const seen: string[] = [];
    world.clock.onWait = async ms => {
      const records = await blogRecords();
      seen.push(
        `${ms / 1000}s: ${records.map(r => `${r.Value}/${r.TTL}`).join(',')}`,
      );
    };
    const { ctx, recorded } = actionContext({
      ...input,
      values: ['203.0.113.10', '203.0.113.11'],
      value: undefined,
      ttl: 60,
    });
    await action.handler(ctx);
    // Resolvers that cached the old record with its 600 s TTL ask again before the move; after
    // it, the old address lives on in caches for at most the lowered 60 s.
    expect(seen).toEqual([
      '600s: 198.51.100.11/60',
      '60s: 203.0.113.10/60,203.0.113.11/60',
    ]);
    expect(recorded.logs.join('\n')).toContain(
      'DNSPod lists 203.0.113.10, 203.0.113.11 for blog.example.com with TTL 60',
    );
  });

  it('resumes a wait where it stopped instead of starting it again', async () => {
    const action = createDnsCutoverAction(world.options);
    const checkpoints = new CheckpointStore();
    checkpoints.loseWorkerAfter('.wait.after-change');
    await expect(
      action.handler(actionContext(input, { checkpoints }).ctx),
    ).rejects.toThrow('worker lost');
    world.clock.advance(400_000);
    const resumed = actionContext(input, { checkpoints });
    await action.handler(resumed.ctx);
    // 600 s in effect before the move, 400 s of them passed while the task was down.
    expect(world.clock.waits).toEqual([200_000]);
    expect(resumed.recorded.outputs.changed).toBe(true);
  });

  it('refuses a record that does not exist, and a value that is not an address', async () => {
    const action = createDnsCutoverAction(world.options);
    await expect(
      action.handler(actionContext({ ...input, subDomain: 'nope' }).ctx),
    ).rejects.toThrow(/there is no A record nope\.example\.com on line 默认/);
    await expect(
      action.handler(actionContext({ ...input, value: 'not-an-ip' }).ctx),
    ).rejects.toThrow('value "not-an-ip" is not a valid A record target');
    expect((await blogRecord()).Value).toBe('198.51.100.11');
  });
});
