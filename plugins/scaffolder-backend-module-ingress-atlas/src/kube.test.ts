import { TestWorld, startWorld } from './__testUtils__/sandbox';
import { applyObject, createObject, readObject } from './kube';

describe('kube', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterAll(async () => {
    await world.stop();
  });

  it("turns an API server's refusal into one line: what, on which cluster, the server's message, status and reason", async () => {
    const cluster = await world.options.clusters.connect('tke-blog');
    const error = await createObject(
      cluster,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'no-such-namespace' },
      },
      { dryRun: true },
    ).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Dry run of creating ConfigMap no-such-namespace/x on cluster tke-blog failed: namespaces "no-such-namespace" not found (HTTP 404 NotFound)',
    );
    expect((error as Error & { code?: number }).code).toBe(404);
  });

  it('applies only the fields it names: a second apply without a label it set removes that label and nothing else', async () => {
    const cluster = await world.options.clusters.connect('tke-blog');
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: 'blog' },
    };
    await applyObject(
      cluster,
      {
        ...ref,
        metadata: { ...ref.metadata, labels: { ours: 'yes' } },
        data: { a: '1' },
      },
      { dryRun: false },
    );
    await cluster.objects.patch(
      { ...ref, metadata: { ...ref.metadata, labels: { theirs: 'yes' } } },
      undefined,
      undefined,
      'team-controller',
      undefined,
      'application/merge-patch+json',
    );
    await applyObject(cluster, { ...ref, data: { a: '2' } }, { dryRun: false });
    const live = await readObject(cluster, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'blog',
      name: 'applied',
    });
    expect(live?.metadata?.labels).toEqual({ theirs: 'yes' });
    expect(live?.data).toEqual({ a: '2' });
  });
});
