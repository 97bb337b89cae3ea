// @ts-check

/**
 * The cluster sources that failed in the refresh that made a model, stored with it so that
 * every backend replica, and a restarted one, shows them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('models', table => {
    table.text('source_errors').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('models', table => {
    table.dropColumn('source_errors');
  });
};
