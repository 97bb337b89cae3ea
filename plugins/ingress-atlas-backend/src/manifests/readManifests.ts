import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  ClusterConnection,
  ClusterDescriptor,
  ClusterInventory,
  KubeObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  ManifestError,
  parseManifests,
  SkippedDocument,
} from './parseManifests';
import { inferProvider, ManifestObjects, toInventory } from './toInventory';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Files under the given files and folders (recursively, hidden entries skipped), sorted. */
export async function manifestFiles(
  paths: string[],
  exclude: string[] = [],
): Promise<string[]> {
  const files: string[] = [];
  const visit = async (p: string, explicit: boolean) => {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      throw new ManifestError(p, undefined, 'no such file or directory');
    }
    if (stat.isDirectory()) {
      const names = (await fs.readdir(p))
        .filter(n => !n.startsWith('.'))
        .sort();
      for (const name of names) await visit(path.join(p, name), false);
    } else if (
      explicit ||
      (MANIFEST_FILE.test(p) && !exclude.includes(path.basename(p)))
    ) {
      files.push(p);
    }
  };
  for (const p of paths) await visit(p, true);
  return files;
}

/** Reads every object in the given files and folders; documents that are not objects go to `onSkip`. */
export async function readObjects(
  paths: string[],
  exclude: string[] = [],
  onSkip?: (skipped: SkippedDocument) => void,
): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const file of await manifestFiles(paths, exclude)) {
    const text = await fs.readFile(file, 'utf8');
    objects.push(...parseManifests(text, file, onSkip).map(o => o.object));
  }
  return objects;
}

/**
 * An offline cluster from manifest files: descriptor fields not given are filled in (name from
 * the folder, provider from the cloud annotations found).
 *
 * @public
 */
export async function loadManifestCluster(
  paths: string[],
  descriptor: Partial<ClusterDescriptor> = {},
  options: { collectedAt?: string; exclude?: string[] } = {},
): Promise<ManifestObjects> {
  const documents: SkippedDocument[] = [];
  const objects = await readObjects(paths, options.exclude, d =>
    documents.push(d),
  );
  const { inventory, skipped } = toInventory(
    objects,
    {
      source: 'manifests',
      url: paths.join(','),
      readOnly: true,
      ...descriptor,
      name:
        descriptor.name ?? path.basename(path.resolve(paths[0] ?? 'manifests')),
      provider: descriptor.provider ?? inferProvider(objects),
    },
    options.collectedAt ?? new Date().toISOString(),
  );
  return { inventory, skipped, skippedDocuments: documents };
}

/** For the refresher: a cluster configured with `manifestPaths`. */
export async function readManifestInventory(
  connection: ClusterConnection,
): Promise<ClusterInventory> {
  const { inventory } = await loadManifestCluster(
    connection.manifestPaths ?? [],
    connection.descriptor,
  );
  return inventory;
}
