import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  ClusterConnection,
  IngressAtlasCloudProvider,
  IngressAtlasClusterSource,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import path from 'node:path';
import { readManifestInventory } from '../manifests';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { AtlasRefresher } from './AtlasRefresher';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const estate = path.resolve(__dirname, '../../../../examples/sandbox/tke-blog');

/** A cluster read from manifests, so the test reads no API server. */
function cluster(name: string, source: string, url: string): ClusterConnection {
  return {
    descriptor: { name, source, provider: 'generic', url },
    auth: {},
    manifestPaths: [estate],
  };
}

const sourceOf = (
  id: string,
  clusters: ClusterConnection[],
): IngressAtlasClusterSource => ({
  id,
  listClusters: async () => clusters,
});

describe('AtlasRefresher', () => {
  it('never lets a catalog cluster take the name of a configured or discovered one', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    const discovered: IngressAtlasCloudProvider = {
      id: 'tencent',
      listClusters: async () => [
        cluster('tke-prod', 'tencent', 'https://cls-1.example.com'),
      ],
      collectInventory: async () => [],
    };
    const refresher = AtlasRefresher.create({
      logger,
      store,
      sources: [
        sourceOf('config', [
          cluster('prod', 'config', 'https://prod.example.com'),
        ]),
      ],
      cloudProviders: [discovered],
      lastSources: [
        sourceOf('catalog', [
          cluster('prod', 'catalog', 'https://attacker.example.com'),
          cluster('tke-prod', 'catalog', 'https://attacker.example.com'),
          cluster('team-dev', 'catalog', 'https://dev.example.com'),
        ]),
      ],
      concurrency: 2,
      kindConcurrency: 2,
      clusterTimeoutMs: 30_000,
      readManifests: readManifestInventory,
    });
    try {
      await refresher.refresh();
    } finally {
      await refresher.stop();
    }
    const stored = await store.listStoredClusters();
    expect(
      Object.fromEntries(
        stored.map(s => [s.descriptor.name, s.descriptor.url]),
      ),
    ).toEqual({
      prod: 'https://prod.example.com',
      'tke-prod': 'https://cls-1.example.com',
      'team-dev': 'https://dev.example.com',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Ignoring a cluster whose name is taken',
      {
        cluster: 'tke-prod',
        source: 'catalog',
        keptFrom: 'tencent',
      },
    );
  });
});
