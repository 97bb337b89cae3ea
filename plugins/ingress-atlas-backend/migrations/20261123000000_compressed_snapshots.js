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
 * Replaces a column by another one: adds `to` (made by `add`), moves every value into it
 * converted row by row, and drops `from`.
 *
 * @param {import('knex').Knex} knex
 * @param {{ table: string, key: string, from: string, to: string,
 *   add: (table: import('knex').Knex.CreateTableBuilder) => unknown,
 *   convert: (value: any) => any }} change
 */
async function replaceColumn(knex, { table, key, from, to, add, convert }) {
  await knex.schema.alterTable(table, add);
  const rows = await knex(table).whereNotNull(from).select(key, from);
  for (const row of rows) {
    await knex(table)
      .where(key, row[key])
      .update({ [to]: convert(row[from]) });
  }
  await knex.schema.alterTable(table, builder => {
    builder.dropColumn(from);
  });
}

/** @param {any} text */
const gzip = text => zlib.gzipSync(text);
/** @param {any} data */
const gunzip = data => zlib.gunzipSync(data).toString('utf8');

/**
 * Snapshots and models are stored as gzip of their JSON: about a tenth of the size, and
 * cheaper to read and write than the text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await replaceColumn(knex, {
    table: 'cluster_snapshots',
    key: 'cluster',
    from: 'inventory',
    to: 'inventory_gz',
    add: table => largeBinary(knex, table, 'inventory_gz').nullable(),
    convert: gzip,
  });
  await replaceColumn(knex, {
    table: 'models',
    key: 'revision',
    from: 'model',
    to: 'model_gz',
    add: table => largeBinary(knex, table, 'model_gz').nullable(),
    convert: gzip,
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await replaceColumn(knex, {
    table: 'cluster_snapshots',
    key: 'cluster',
    from: 'inventory_gz',
    to: 'inventory',
    add: table => table.text('inventory', 'longtext').nullable(),
    convert: gunzip,
  });
  await replaceColumn(knex, {
    table: 'models',
    key: 'revision',
    from: 'model_gz',
    to: 'model',
    add: table => table.text('model', 'longtext').nullable(),
    convert: gunzip,
  });
};
