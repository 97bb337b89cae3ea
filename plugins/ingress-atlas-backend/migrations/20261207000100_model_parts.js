// @ts-check

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
 * A model is stored as its gzip members (`model_parts`, each once, by the SHA-1 of its bytes)
 * and the list of them in order (`models.parts`, JSON): a publication after a change in one
 * cluster writes that cluster's few parts, not the whole model. Models stored before keep
 * their `model_gz`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async knex => {
  await knex.schema.createTable('model_parts', table => {
    table.string('sha1', 40).primary();
    largeBinary(knex, table, 'part_gz').notNullable();
  });
  await knex.schema.alterTable('models', table => {
    table.text('parts', 'longtext').nullable();
  });
};

/**
 * Puts each model stored in parts back together in `model_gz`.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async knex => {
  const models = await knex('models')
    .whereNotNull('parts')
    .select('revision', 'parts');
  for (const { revision, parts } of models) {
    /** @type {string[]} */
    const sha1s = JSON.parse(parts);
    const unique = [...new Set(sha1s)];
    const bytes = new Map();
    for (let i = 0; i < unique.length; i += 500) {
      for (const row of await knex('model_parts')
        .whereIn('sha1', unique.slice(i, i + 500))
        .select('sha1', 'part_gz')) {
        bytes.set(row.sha1, row.part_gz);
      }
    }
    await knex('models')
      .where({ revision })
      .update({ model_gz: Buffer.concat(sha1s.map(sha1 => bytes.get(sha1))) });
  }
  await knex.schema.alterTable('models', table => {
    table.dropColumn('parts');
  });
  await knex.schema.dropTable('model_parts');
};
