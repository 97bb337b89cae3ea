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

/** The columns compressed: each table's JSON text and the gzip that replaces it. */
const COMPRESSED = [
  {
    table: 'cluster_snapshots',
    key: 'cluster',
    text: 'inventory',
    gzip: 'inventory_gz',
  },
  { table: 'models', key: 'revision', text: 'model', gzip: 'model_gz' },
];

/**
 * Snapshots and models are stored as gzip of their JSON: about a tenth of the size, and
 * cheaper to read and write than the text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const { table, key, text, gzip } of COMPRESSED) {
    await replaceColumn(knex, {
      table,
      key,
      from: text,
      to: gzip,
      add: builder => largeBinary(knex, builder, gzip).nullable(),
      convert: value => zlib.gzipSync(value),
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const { table, key, text, gzip } of COMPRESSED) {
    await replaceColumn(knex, {
      table,
      key,
      from: gzip,
      to: text,
      add: builder => builder.text(text, 'longtext').nullable(),
      convert: value => zlib.gunzipSync(value).toString('utf8'),
    });
  }
};
