// @ts-check

/**
 * Which inventory each stored SHA-1 is of: the `collected_at` it was written with. A version
 * from before the SHA-1s rewrites a cluster's inventory and its `collected_at` but not the
 * SHA-1, so during a rolling upgrade a SHA-1 whose `collected_at` differs from the row's (or
 * is missing) says nothing about the bytes beside it, and the reader computes it from them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async knex => {
  await knex.schema.alterTable('cluster_snapshots', table =>
    table.string('inventory_sha1_collected_at', 64).nullable(),
  );
  await knex('cluster_snapshots')
    .whereNotNull('inventory_sha1')
    .update({ inventory_sha1_collected_at: knex.ref('collected_at') });
};

/** @param {import('knex').Knex} knex */
exports.down = knex =>
  knex.schema.alterTable('cluster_snapshots', table =>
    table.dropColumn('inventory_sha1_collected_at'),
  );
