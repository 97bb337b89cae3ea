// @ts-check

const zlib = require('node:zlib');

/**
 * A binary column that holds the largest values: MySQL's plain BLOB stops at 64 KiB.
 *
 * @param {import('knex').Knex} knex
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} name
 */
function largeBinary(knex, table, name) {
  return String(knex.client.config.client).includes('mysql')
    ? table.specificType(name, 'longblob')
    : table.binary(name);
}

/**
 * Moves a column's values into another one, converted row by row.
 *
 * @param {import('knex').Knex} knex
 * @param {{ table: string, key: string, from: string, to: string, convert: (value: any) => any }} move
 */
async function moveColumn(knex, { table, key, from, to, convert }) {
  const rows = await knex(table).whereNotNull(from).select(key, from);
  for (const row of rows) {
    await knex(table)
      .where(key, row[key])
      .update({ [to]: convert(row[from]) });
  }
}

/**
 * Snapshots and models are stored as gzip of their JSON: about a tenth of the size, and
 * cheaper to read and write than the text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('cluster_snapshots', table => {
    largeBinary(knex, table, 'inventory_gz').nullable();
  });
  await moveColumn(knex, {
    table: 'cluster_snapshots',
    key: 'cluster',
    from: 'inventory',
    to: 'inventory_gz',
    convert: text => zlib.gzipSync(text),
  });
  await knex.schema.alterTable('cluster_snapshots', table => {
    table.dropColumn('inventory');
  });

  await knex.schema.alterTable('models', table => {
    largeBinary(knex, table, 'model_gz').nullable();
  });
  await moveColumn(knex, {
    table: 'models',
    key: 'revision',
    from: 'model',
    to: 'model_gz',
    convert: text => zlib.gzipSync(text),
  });
  await knex.schema.alterTable('models', table => {
    table.dropColumn('model');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('cluster_snapshots', table => {
    table.text('inventory', 'longtext').nullable();
  });
  await moveColumn(knex, {
    table: 'cluster_snapshots',
    key: 'cluster',
    from: 'inventory_gz',
    to: 'inventory',
    convert: data => zlib.gunzipSync(data).toString('utf8'),
  });
  await knex.schema.alterTable('cluster_snapshots', table => {
    table.dropColumn('inventory_gz');
  });

  await knex.schema.alterTable('models', table => {
    table.text('model', 'longtext').nullable();
  });
  await moveColumn(knex, {
    table: 'models',
    key: 'revision',
    from: 'model_gz',
    to: 'model',
    convert: data => zlib.gunzipSync(data).toString('utf8'),
  });
  await knex.schema.alterTable('models', table => {
    table.dropColumn('model_gz');
  });
};
