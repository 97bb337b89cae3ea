import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterConnection,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { RunningCluster } from '@ingress-atlas/sandbox';
import { gunzipJson } from '../inventory/compression';
import { CollectionRunner } from './CollectionRunner';
import { startTestCluster } from '../__testUtils__/testCluster';

jest.setTimeout(60_000);

describe('CollectionRunner', () => {
  let cluster: RunningCluster;
  let connection: ClusterConnection;

  beforeAll(async () => {
    ({ cluster, connection } = await startTestCluster([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'shop-tls', namespace: 'shop' },
        type: 'kubernetes.io/tls',
        data: { 'tls.key': Buffer.from('ATLAS-CANARY-key').toString('base64') },
      },
    ]));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const read = async (useWorker: boolean) => {
    const logger = mockServices.logger.mock();
    const runner = CollectionRunner.create({ logger, useWorker });
    try {
      const { inventory, requests } = await runner.collect(connection, {
        timeoutMs: 30_000,
        kindConcurrency: 4,
      });
      const decompressed = await gunzipJson<ClusterInventory>(
        inventory.inventoryGz,
      );
      return { inventory, decompressed, requests, logger };
    } finally {
      await runner.stop();
    }
  };

  it('reads a cluster in a worker thread into the same compressed inventory as in this thread', async () => {
    const inWorker = await read(true);
    const here = await read(false);

    // The worker started: nothing fell back to this thread.
    expect(inWorker.logger.debug).not.toHaveBeenCalled();
    expect(inWorker.requests).toBe(here.requests);
    expect(inWorker.inventory.cluster.name).toBe('test');
    expect(
      inWorker.decompressed.objects.services?.map(s => s.metadata.name),
    ).toEqual(['kubernetes', 'svc-0', 'svc-1', 'svc-2']);
    expect({ ...inWorker.decompressed, collectedAt: '' }).toEqual({
      ...here.decompressed,
      collectedAt: '',
    });
    expect(inWorker.inventory.unavailable).toEqual(
      Object.keys(inWorker.decompressed.unavailable),
    );
    // Secrets leave the worker as metadata only.
    const stored = JSON.stringify(inWorker.decompressed);
    expect(stored).toContain('shop-tls');
    expect(stored).not.toContain('ATLAS-CANARY');
    expect(stored).not.toContain(
      Buffer.from('ATLAS-CANARY-key').toString('base64'),
    );
  });

  it('logs each retry once, with the cluster, the request and why', async () => {
    const logger = mockServices.logger.mock();
    const runner = CollectionRunner.create({ logger });
    // The first request fails; the API server is back before the retry.
    const faulted = cluster.stats.faulted.errors;
    cluster.faults.set({ errorRate: 1, errorCode: 503 });
    const recover = setInterval(() => {
      if (cluster.stats.faulted.errors > faulted) cluster.faults.clear();
    }, 5);
    try {
      await runner.collect(connection, {
        timeoutMs: 30_000,
        kindConcurrency: 4,
      });
    } finally {
      clearInterval(recover);
      cluster.faults.clear();
      await runner.stop();
    }
    const retries = logger.warn.mock.calls.filter(
      ([message]) => message === 'Retried a Kubernetes API request',
    );
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0][1]).toEqual({
      cluster: 'test',
      request: '/apis',
      retry: 1,
      reason: 'HTTP 503',
      delayMs: expect.any(Number),
    });
    expect(new Set(retries.map(([, meta]) => JSON.stringify(meta))).size).toBe(
      retries.length,
    );
  });

  it('names a cluster that answers too slowly, and reads it again once it answers', async () => {
    const logger = mockServices.logger.mock();
    const runner = CollectionRunner.create({ logger });
    cluster.faults.set({ latencyMs: 2_000 });
    try {
      await expect(
        runner.collect(connection, { timeoutMs: 500, kindConcurrency: 4 }),
      ).rejects.toThrow('timed out after 0.5s');
    } finally {
      cluster.faults.set({ latencyMs: null });
    }
    const { inventory } = await runner.collect(connection, {
      timeoutMs: 30_000,
      kindConcurrency: 4,
    });
    expect(inventory.cluster.name).toBe('test');
    await runner.stop();
  });
});
