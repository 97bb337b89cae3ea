// @ts-check

/**
 * Where each kind's watch of a cluster has got (JSON: per kind, its collection path, API
 * version and the resourceVersion of the last change stored), kept with the snapshot it
 * describes: the replica that takes the watches over resumes them there instead of listing
 * every cluster again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = knex =>
  knex.schema.alterTable('cluster_snapshots', table =>
    table.text('watch_from').nullable(),
  );

/** @param {import('knex').Knex} knex */
exports.down = knex =>
  knex.schema.alterTable('cluster_snapshots', table =>
    table.dropColumn('watch_from'),
  );
