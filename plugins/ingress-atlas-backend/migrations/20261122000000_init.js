// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The last good inventory of each cluster, with the outcome of the latest attempt.
  await knex.schema.createTable('cluster_snapshots', table => {
    table.string('cluster', 255).primary().notNullable();
    table.text('descriptor').notNullable();
    table.text('inventory', 'longtext').nullable();
    table.string('status', 32).notNullable();
    table.text('error').nullable();
    table.string('collected_at', 64).nullable();
    table.string('attempted_at', 64).notNullable();
  });
  await knex.schema.createTable('cloud_snapshots', table => {
    table.string('key', 255).primary().notNullable();
    table.text('inventory', 'longtext').notNullable();
    table.string('collected_at', 64).notNullable();
  });
  // The analysed model, one row per revision; readers take the latest.
  await knex.schema.createTable('models', table => {
    table.increments('revision');
    table.text('model', 'longtext').notNullable();
    table.string('generated_at', 64).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('models');
  await knex.schema.dropTable('cloud_snapshots');
  await knex.schema.dropTable('cluster_snapshots');
};
