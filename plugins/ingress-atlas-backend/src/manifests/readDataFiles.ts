import { promises as fs } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { CatalogEntityLite } from '../engine/types';
import { ManifestError, parseManifests } from './parseManifests';

/**
 * The values of a YAML or JSON data file (cloud inventories, catalog-info YAML), one per
 * document, a document holding a list giving its items. A file that cannot be read or is not
 * valid YAML throws a {@link ManifestError} naming the file (and the line).
 *
 * @public
 */
export async function readYamlDocuments(file: string): Promise<any[]> {
  let text;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new ManifestError(file, undefined, 'cannot be read');
  }
  return parseManifestsOrData(text, file);
}

function parseManifestsOrData(text: string, file: string): any[] {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  for (const d of list) {
    if (d.errors.length) parseManifests(text, file); // throws with file and line
  }
  return list
    .map(d => d.toJS())
    .flatMap(v => (Array.isArray(v) ? v : [v]))
    .filter(Boolean);
}

/**
 * Catalog entities from catalog-info YAML files, reduced to what mapping paths needs.
 *
 * @public
 */
export async function readEntities(
  files: string[],
): Promise<CatalogEntityLite[]> {
  const entities: CatalogEntityLite[] = [];
  for (const file of files) {
    for (const doc of await readYamlDocuments(file)) {
      if (!doc?.kind || !doc?.metadata?.name) continue;
      entities.push({
        ref: `${String(doc.kind).toLowerCase()}:${
          doc.metadata.namespace ?? 'default'
        }/${doc.metadata.name}`,
        annotations: doc.metadata.annotations ?? {},
      });
    }
  }
  return entities;
}
