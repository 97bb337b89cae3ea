import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ClusterDescriptor,
  ClusterInventory,
  CloudInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type { SourceError } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Knex } from 'knex';
import { sha1Hex } from '../inventory/compression';
import type { ModelPart } from '../analysis/ModelGzip';
import {
  CompressedInventory,
  WatchedInventory,
  inventorySha1,
} from '../inventory/compressedInventory';

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

/** A snapshot as stored: its inventory still gzip-compressed JSON, to be parsed where it is used. */
export type StoredClusterSnapshot = Omit<ClusterSnapshot, 'inventory'> & {
  inventoryGz?: Uint8Array;
  /**
   * The SHA-1 of the inventory's bytes (hex), when it has one. Given without `inventoryGz`
   * when the reader said it holds these bytes (see `listStoredClusters`).
   */
  inventorySha1?: string;
};

export type { SourceError };

/**
 * An analysed model as stored: gzip-compressed JSON, as its members in order (one, for a model
 * an earlier version stored whole), with the sources that failed.
 */
export interface StoredModel {
  revision: number;
  generatedAt: string;
  modelParts: Array<Required<ModelPart>>;
  sourceErrors: SourceError[];
}

/** A model to store: its gzip members, the bytes of those not stored yet (see `ModelGzip`). */
export interface ModelToStore {
  generatedAt: string;
  parts: ModelPart[];
  sourceErrors: SourceError[];
}

const MODELS_KEPT = 3;

/** The PostgreSQL advisory lock that models are stored under, one at a time (see `saveModel`). */
const MODEL_SAVE_LOCK = 0x1a7a5_0001;

/** Rows read or written per statement: well inside every database's limit on parameters. */
const ROWS_PER_STATEMENT = 500;

/**
 * Whether a row's SHA-1 is of the inventory beside it: written with the same `collected_at`.
 * A version from before the SHA-1s rewrites the inventory and leaves the SHA-1 (see the
 * migration `20261207000200_inventory_sha1_collected_at`).
 */
function knownSha1(row: {
  inventory_sha1: string | null;
  inventory_sha1_collected_at: string | null;
  collected_at: string | null;
}): boolean {
  return (
    Boolean(row.inventory_sha1) &&
    row.inventory_sha1_collected_at === row.collected_at
  );
}

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** Inventories read per statement: about 55 MiB at 5,000 Services per cluster. */
const INVENTORIES_PER_STATEMENT = 100;

/** The plugin's database: per-cluster and per-cloud snapshots, and the analysed model. */
export class SnapshotStore {
  static async create(options: { database: DatabaseService }) {
    const client = await options.database.getClient();
    await tuneSqlite(client);
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new SnapshotStore(client);
  }

  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  async saveClusterSuccess(
    inventory: CompressedInventory,
    attemptedAt: string,
  ) {
    await this.#db('cluster_snapshots')
      .insert({
        cluster: inventory.cluster.name,
        descriptor: JSON.stringify(inventory.cluster),
        inventory_gz: Buffer.from(inventory.inventoryGz),
        inventory_sha1: inventorySha1(inventory.inventoryGz),
        inventory_sha1_collected_at: inventory.collectedAt,
        status: 'ok',
        error: null,
        collected_at: inventory.collectedAt,
        attempted_at: attemptedAt,
        watch_from: inventory.watchFrom
          ? JSON.stringify(inventory.watchFrom)
          : null,
      })
      .onConflict('cluster')
      .merge();
  }

  /**
   * Records how far a cluster's watches got when none of what they saw since its last store
   * changed its inventory (bookmarks, objects that are not kept): one small column.
   */
  async saveWatchFrom(
    cluster: string,
    watchFrom: NonNullable<CompressedInventory['watchFrom']>,
  ) {
    await this.#db('cluster_snapshots')
      .where({ cluster })
      .update({ watch_from: JSON.stringify(watchFrom) });
  }

  /** The fresh snapshots whose watches can be resumed, by cluster, with where they got. */
  async listWatchedClusters(): Promise<
    Map<string, WatchedInventory & Pick<CompressedInventory, 'cluster'>>
  > {
    const rows = await this.#db('cluster_snapshots')
      .where({ status: 'ok' })
      .whereNotNull('watch_from')
      .whereNotNull('inventory_gz')
      .select('cluster', 'descriptor', 'inventory_gz', 'watch_from');
    return new Map(
      rows.map(row => [
        row.cluster,
        {
          cluster: JSON.parse(row.descriptor),
          inventoryGz: row.inventory_gz,
          watchFrom: JSON.parse(row.watch_from),
        },
      ]),
    );
  }

  /** A cluster's stored inventory (gzip of its JSON), if it has one. */
  async storedInventory(cluster: string): Promise<Uint8Array | undefined> {
    const row = await this.#db('cluster_snapshots')
      .where({ cluster })
      .first('inventory_gz');
    return row?.inventory_gz ?? undefined;
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
        .first('collected_at');
      // An inventory is kept (stored by any version, with a SHA-1 or without): stale.
      const status: SnapshotStatus = existing?.collected_at ? 'stale' : 'error';
      await tx('cluster_snapshots')
        .insert({
          cluster: descriptor.name,
          descriptor: JSON.stringify(descriptor),
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

  /**
   * The snapshots, their inventories still compressed for the analysis to parse: each with
   * its inventory's bytes unless `held` (cluster to SHA-1) says the reader holds them
   * already, so that a change in one cluster of a hundred reads that one's bytes only.
   */
  async listStoredClusters(
    options: { held?: ReadonlyMap<string, string> } = {},
  ): Promise<StoredClusterSnapshot[]> {
    const rows = await this.#db('cluster_snapshots')
      .orderBy('cluster')
      .select(
        'cluster',
        'descriptor',
        'inventory_sha1',
        'inventory_sha1_collected_at',
        'status',
        'error',
        'collected_at',
        'attempted_at',
      );
    const wanted = rows.flatMap(row =>
      row.collected_at &&
      (!knownSha1(row) || options.held?.get(row.cluster) !== row.inventory_sha1)
        ? [row.cluster]
        : [],
    );
    // Read apart, so the bytes and their SHA-1 go together should a store come in between.
    const read = new Map<
      string,
      { inventory_gz: Uint8Array; inventory_sha1: string }
    >();
    for (const clusters of chunks(wanted, INVENTORIES_PER_STATEMENT)) {
      for (const row of await this.#db('cluster_snapshots')
        .whereIn('cluster', clusters)
        .whereNotNull('inventory_gz')
        .select(
          'cluster',
          'inventory_gz',
          'inventory_sha1',
          'inventory_sha1_collected_at',
          'collected_at',
        )) {
        read.set(row.cluster, {
          inventory_gz: row.inventory_gz,
          inventory_sha1: knownSha1(row)
            ? row.inventory_sha1
            : inventorySha1(row.inventory_gz),
        });
      }
    }
    // One forgotten in between is left out, as it would be from a later read.
    const gone = new Set(wanted.filter(cluster => !read.has(cluster)));
    return rows
      .filter(row => !gone.has(row.cluster))
      .map(row => ({
        descriptor: JSON.parse(row.descriptor),
        inventoryGz: read.get(row.cluster)?.inventory_gz,
        inventorySha1:
          read.get(row.cluster)?.inventory_sha1 ??
          (knownSha1(row) ? row.inventory_sha1 : undefined),
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

  /**
   * Stores a model as the latest revision; returns that revision. Its parts given without
   * bytes must be stored already (parts of the models kept): when one is not (another
   * replica's publications pruned it), nothing is stored and the error says so. Parts no
   * model kept uses any more are deleted with the oldest model. Replicas store models one
   * at a time, so that none prunes a part another is storing a model with.
   */
  async saveModel(model: ModelToStore): Promise<number> {
    return this.#db.transaction(async tx => {
      if (isPostgres(this.#db)) {
        await tx.raw('SELECT pg_advisory_xact_lock(?)', [MODEL_SAVE_LOCK]);
      }
      const reused = [
        ...new Set(model.parts.filter(p => !p.gz).map(p => p.sha1)),
      ];
      let found = 0;
      for (const sha1s of chunks(reused)) {
        const [{ count }] = await tx('model_parts')
          .whereIn('sha1', sha1s)
          .count({ count: '*' });
        found += Number(count);
      }
      if (found < reused.length) {
        throw new Error(
          `The model reuses ${
            reused.length - found
          } parts that are no longer stored (pruned with the older models that used them, as after another replica's publications); nothing was stored`,
        );
      }
      const added = model.parts.flatMap(({ sha1, gz }) =>
        gz ? [{ sha1, part_gz: Buffer.from(gz) }] : [],
      );
      for (const rows of chunks(added)) {
        await tx('model_parts').insert(rows).onConflict('sha1').ignore();
      }
      const [inserted] = await tx('models').insert(
        {
          parts: JSON.stringify(model.parts.map(p => p.sha1)),
          generated_at: model.generatedAt,
          source_errors: JSON.stringify(model.sourceErrors),
        },
        ['revision'],
      );
      const revision = Number(
        typeof inserted === 'object' ? inserted.revision : inserted,
      );
      const partsOf = (rows: Array<{ parts: string | null }>) =>
        rows.flatMap(row =>
          row.parts ? (JSON.parse(row.parts) as string[]) : [],
        );
      const dropped = partsOf(
        await tx('models')
          .where('revision', '<=', revision - MODELS_KEPT)
          .select('parts'),
      );
      if (dropped.length) {
        const kept = new Set(
          partsOf(
            await tx('models')
              .where('revision', '>', revision - MODELS_KEPT)
              .select('parts'),
          ),
        );
        const unused = [...new Set(dropped)].filter(sha1 => !kept.has(sha1));
        for (const sha1s of chunks(unused)) {
          await tx('model_parts').whereIn('sha1', sha1s).delete();
        }
      }
      await tx('models')
        .where('revision', '<=', revision - MODELS_KEPT)
        .delete();
      return revision;
    });
  }

  async latestModelRevision(): Promise<number | undefined> {
    const row = await this.#db('models').max({ revision: 'revision' }).first();
    return row?.revision ? Number(row.revision) : undefined;
  }

  async latestModel(): Promise<StoredModel | undefined> {
    const row = await this.#db('models').orderBy('revision', 'desc').first();
    if (!row) return undefined;
    return {
      revision: Number(row.revision),
      generatedAt: row.generated_at,
      modelParts: row.parts
        ? await this.#readParts(Number(row.revision), JSON.parse(row.parts))
        : [
            {
              sha1: sha1Hex(row.model_gz),
              gz: row.model_gz,
            },
          ],
      sourceErrors: row.source_errors ? JSON.parse(row.source_errors) : [],
    };
  }

  /** A model's parts, in order. */
  async #readParts(
    revision: number,
    sha1s: string[],
  ): Promise<Array<Required<ModelPart>>> {
    const bytes = new Map<string, Uint8Array>();
    for (const chunk of chunks([...new Set(sha1s)])) {
      for (const row of await this.#db('model_parts')
        .whereIn('sha1', chunk)
        .select('sha1', 'part_gz')) {
        bytes.set(row.sha1, row.part_gz);
      }
    }
    const missing = sha1s.filter(sha1 => !bytes.has(sha1));
    if (missing.length) {
      throw new Error(
        `Model revision ${revision} lacks ${missing.length} of its ${sha1s.length} stored parts`,
      );
    }
    return sha1s.map(sha1 => ({ sha1, gz: bytes.get(sha1)! }));
  }
}

/** Knex's names of its PostgreSQL client. */
function isPostgres(db: Knex): boolean {
  return ['pg', 'postgres', 'postgresql'].includes(
    String(db.client.config.client),
  );
}

/**
 * better-sqlite3 runs on the thread that answers requests, and by default syncs the file to
 * disk on every commit: a refresh's writes (snapshots, the model, lease renewals) then held
 * that thread for tens of milliseconds each. A write-ahead log synced at checkpoints keeps
 * commits atomic and durable across a crash of the process; only a power loss may lose the
 * last commits, which the next refresh writes again.
 */
async function tuneSqlite(db: Knex) {
  const client = String(db.client.config.client);
  if (!client.includes('sqlite')) return;
  const tune = async () => {
    await db.raw('PRAGMA journal_mode = WAL');
    await db.raw('PRAGMA synchronous = NORMAL');
  };
  await tune();
  // Connections the pool opens later start with the defaults again.
  db.client.pool?.on?.(
    'createSuccess',
    (_id: unknown, connection: { pragma?(s: string): unknown }) => {
      connection.pragma?.('synchronous = NORMAL');
    },
  );
}
