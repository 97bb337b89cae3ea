// @ts-check

/**
 * The cost of each day (UTC), kept for a cost trend: the models table holds only the latest
 * revisions. One row per day, scope, dimension and key, rewritten by each model published that
 * day; rows older than the retention are deleted as new ones are written.
 *
 * - scope: `account`, everything priced; `exposures`, without the account's idle and orphaned
 *   resources, as readers without `ingress-atlas.cloud-inventory.read` see the cost.
 * - dimension: `total` (key ''), `cluster` or `provider` (key: the cluster or provider).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cost_history', table => {
    table.string('day', 10).notNullable();
    table.string('scope', 16).notNullable();
    table.string('dimension', 16).notNullable();
    table.string('key', 255).notNullable();
    // A monthly-equivalent rate, as the model prices it.
    table.double('monthly_amount').notNullable();
    table.string('currency', 3).notNullable();
    // Something known to bill had no price: the amount leaves it out.
    table.boolean('unpriced').notNullable();
    table.string('recorded_at', 64).notNullable();
    table.primary(['day', 'scope', 'dimension', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_history');
};
