import {
  SandboxAtlas,
  startSandboxAtlas,
} from '@ingress-atlas/sandbox/testUtils';
import ingressAtlasPlugin from '@ingress-atlas/plugin-ingress-atlas-backend';

jest.setTimeout(180_000);

describe('API servers that fail now and then', () => {
  let atlas: SandboxAtlas;

  beforeAll(async () => {
    atlas = await startSandboxAtlas({ features: [ingressAtlasPlugin] });
  });
  afterAll(async () => {
    await atlas?.stop();
  });
  afterEach(() => atlas.sandbox.running.forEach(c => c.faults.clear()));

  it('keep every cluster fresh when 5% of their requests fail with 503', async () => {
    atlas.sandbox.running.forEach(c =>
      c.faults.set({ errorRate: 0.05, errorCode: 503 }),
    );
    const faulted = () =>
      atlas.sandbox.running.reduce((n, c) => n + c.stats.faulted.errors, 0);
    const before = faulted();
    const stale: string[] = [];
    for (let refresh = 0; refresh < 3; refresh++) {
      await atlas.refresh();
      const { clusters } = await atlas.get('/clusters');
      stale.push(
        ...clusters
          .filter((c: any) => c.status !== 'ok')
          .map((c: any) => `${c.name}: ${c.error}`),
      );
    }
    expect(stale).toEqual([]);
    // The faults did happen: the refreshes got through them.
    expect(faulted() - before).toBeGreaterThan(0);
  });

  it('name what went wrong, in words, when a cluster keeps answering with garbage', async () => {
    const edge = atlas.sandbox.running.find(c => c.name === 'edge')!;
    edge.faults.set({ garbageListRate: 1 });
    await atlas.refresh();
    const { clusters } = await atlas.get('/clusters');
    expect(clusters.find((c: any) => c.name === 'edge').status).toBe('ok');
    const { findings } = await atlas.get('/findings?cluster=edge');
    const malformed = findings.filter(
      (f: any) => f.code === 'MALFORMED_OBJECT',
    );
    expect(malformed.length).toBeGreaterThan(0);
    for (const finding of malformed) {
      expect(finding.message).toMatch(
        /^a \w+ with no name in edge is left out of the atlas: (metadata is missing|object is null, not a mapping)$/,
      );
    }
    expect(JSON.stringify(findings)).not.toMatch(
      /Cannot (destructure|read) propert/,
    );
  });
});
