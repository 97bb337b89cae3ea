// @ts-check

const { createHash } = require('node:crypto');

/**
 * The SHA-1 of each stored inventory's bytes (hex), set whenever the inventory is: a
 * publication reads the bytes only of the clusters whose inventory the analysis does not hold
 * already, instead of every cluster's at every change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async knex => {
  await knex.schema.alterTable('cluster_snapshots', table =>
    table.string('inventory_sha1', 40).nullable(),
  );
  const rows = await knex('cluster_snapshots')
    .whereNotNull('inventory_gz')
    .select('cluster', 'inventory_gz');
  for (const row of rows) {
    await knex('cluster_snapshots')
      .where({ cluster: row.cluster })
      .update({
        inventory_sha1: createHash('sha1')
          .update(row.inventory_gz)
          .digest('hex'),
      });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = knex =>
  knex.schema.alterTable('cluster_snapshots', table =>
    table.dropColumn('inventory_sha1'),
  );
