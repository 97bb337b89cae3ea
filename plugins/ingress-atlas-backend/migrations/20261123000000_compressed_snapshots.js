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
 * The two forms of those columns: how each is made, named, and converted into.
 *
 * @typedef {{ name: (column: typeof COMPRESSED[number]) => string,
 *   add: (knex: import('knex').Knex, table: import('knex').Knex.CreateTableBuilder, name: string) => import('knex').Knex.ColumnBuilder,
 *   convert: (value: any) => any }} Form
 * @type {Record<'text' | 'gzip', Form>}
 */
const FORMS = {
  text: {
    name: column => column.text,
    add: (_knex, table, name) => table.text(name, 'longtext'),
    convert: value => zlib.gunzipSync(value).toString('utf8'),
  },
  gzip: {
    name: column => column.gzip,
    add: largeBinary,
    convert: value => zlib.gzipSync(value),
  },
};

/**
 * Stores every compressed column in form `to` instead of `from`.
 *
 * @param {import('knex').Knex} knex
 * @param {Form} from
 * @param {Form} to
 */
async function storeAs(knex, from, to) {
  for (const column of COMPRESSED) {
    await replaceColumn(knex, {
      table: column.table,
      key: column.key,
      from: from.name(column),
      to: to.name(column),
      add: table => to.add(knex, table, to.name(column)).nullable(),
      convert: to.convert,
    });
  }
}

/**
 * Snapshots and models are stored as gzip of their JSON: about a tenth of the size, and
 * cheaper to read and write than the text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = knex => storeAs(knex, FORMS.text, FORMS.gzip);

/**
 * @param {import('knex').Knex} knex
 */
exports.down = knex => storeAs(knex, FORMS.gzip, FORMS.text);
