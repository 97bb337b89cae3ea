import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ClusterDescriptor,
  ClusterInventory,
  CloudInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ingress-atlas/plugin-ingress-atlas-backend',
  'migrations',
);

/** ok: fresh; stale: the last attempt failed but a previous snapshot is kept; error: never read. */
export type SnapshotStatus = 'ok' | 'stale' | 'error';

export interface ClusterSnapshot {
  descriptor: ClusterDescriptor;
  inventory?: ClusterInventory;
  status: SnapshotStatus;
  error?: string;
  collectedAt?: string;
  attemptedAt: string;
}

const MODELS_KEPT = 3;

/** The plugin's database: per-cluster and per-cloud snapshots, and the analysed model. */
export class SnapshotStore {
  static async create(options: { database: DatabaseService }) {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new SnapshotStore(client);
  }

  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  async saveClusterSuccess(inventory: ClusterInventory, attemptedAt: string) {
    await this.#db('cluster_snapshots')
      .insert({
        cluster: inventory.cluster.name,
        descriptor: JSON.stringify(inventory.cluster),
        inventory: JSON.stringify(inventory),
        status: 'ok',
        error: null,
        collected_at: inventory.collectedAt,
        attempted_at: attemptedAt,
      })
      .onConflict('cluster')
      .merge();
  }

  /** Records a failed attempt; the last good inventory, if any, stays and turns stale. */
  async saveClusterFailure(
    descriptor: ClusterDescriptor,
    error: string,
    attemptedAt: string,
  ) {
    await this.#db.transaction(async tx => {
      const existing = await tx('cluster_snapshots')
        .where({ cluster: descriptor.name })
        .first('inventory');
      const status: SnapshotStatus = existing?.inventory ? 'stale' : 'error';
      await tx('cluster_snapshots')
        .insert({
          cluster: descriptor.name,
          descriptor: JSON.stringify(descriptor),
          inventory: existing?.inventory ?? null,
          status,
          error,
          attempted_at: attemptedAt,
        })
        .onConflict('cluster')
        .merge(['descriptor', 'status', 'error', 'attempted_at']);
    });
  }

  /** Forgets clusters that no source lists any more. */
  async retainClusters(names: string[]) {
    await this.#db('cluster_snapshots').whereNotIn('cluster', names).delete();
  }

  async listClusters(): Promise<ClusterSnapshot[]> {
    const rows = await this.#db('cluster_snapshots').orderBy('cluster');
    return rows.map(row => ({
      descriptor: JSON.parse(row.descriptor),
      inventory: row.inventory ? JSON.parse(row.inventory) : undefined,
      status: row.status,
      error: row.error ?? undefined,
      collectedAt: row.collected_at ?? undefined,
      attemptedAt: row.attempted_at,
    }));
  }

  async saveCloud(inventories: CloudInventory[]) {
    await this.#db.transaction(async tx => {
      for (const inventory of inventories) {
        await tx('cloud_snapshots')
          .insert({
            key: `${inventory.provider}/${inventory.account}/${inventory.region}`,
            inventory: JSON.stringify(inventory),
            collected_at: inventory.collectedAt,
          })
          .onConflict('key')
          .merge();
      }
    });
  }

  async listCloud(): Promise<CloudInventory[]> {
    const rows = await this.#db('cloud_snapshots').orderBy('key');
    return rows.map(row => JSON.parse(row.inventory));
  }

  async saveModel(model: AtlasModel): Promise<number> {
    return this.#db.transaction(async tx => {
      const [inserted] = await tx('models').insert(
        { model: JSON.stringify(model), generated_at: model.generatedAt },
        ['revision'],
      );
      const revision = typeof inserted === 'object' ? inserted.revision : inserted;
      await tx('models').where('revision', '<=', revision - MODELS_KEPT).delete();
      return Number(revision);
    });
  }

  async latestModelRevision(): Promise<number | undefined> {
    const row = await this.#db('models').max({ revision: 'revision' }).first();
    return row?.revision ? Number(row.revision) : undefined;
  }

  async latestModel(): Promise<{ revision: number; model: AtlasModel } | undefined> {
    const row = await this.#db('models').orderBy('revision', 'desc').first();
    return row
      ? { revision: Number(row.revision), model: JSON.parse(row.model) }
      : undefined;
  }
}
