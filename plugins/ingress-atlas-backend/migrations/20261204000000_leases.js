// @ts-check

/**
 * Leases held while a replica does work that only one may do at a time (the refresh). A
 * holder renews its lease while it works; a crashed holder's lease runs out within its time
 * to live, so another replica, or the restarted one, takes over without waiting for a
 * scheduler timeout.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('leases', table => {
    table.string('name').primary();
    table.string('holder').notNullable();
    table.bigInteger('expires_at').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('leases');
};
