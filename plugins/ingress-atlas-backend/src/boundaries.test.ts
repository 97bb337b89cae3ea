import fs from 'node:fs';
import path from 'node:path';

/**
 * The backend's folders depend one way: `inventory/` (compressed inventories) and `objects/`
 * (the checks every object passes on the way in) are shared, and depend on neither side.
 * `snapshots/` stores inventories and `manifests/` reads files; neither reaches into the live
 * collector. The collector's watcher writes the changes it sees through `SnapshotStore`, so
 * that one import from `snapshots/` is allowed; anything else it needs from there belongs in
 * a shared folder. What serves requests (`views/`, `permissions/`) reads models the analysis
 * published and never cluster objects: it imports neither the engine, nor the collector, nor
 * the manifest reader.
 */
const SRC = __dirname;

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(SRC, folder), { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map(entry => path.relative(SRC, path.join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map(
    match => match[1],
  );
}

/** Each `file: import` whose target, resolved from the file, lies under `folder`. */
function importsInto(files: string[], folder: string): string[] {
  return files.flatMap(file =>
    importsOf(file)
      .filter(target => target.startsWith('.'))
      .filter(target => {
        const resolved = path.relative(SRC, path.resolve(SRC, path.dirname(file), target));
        return resolved === folder || resolved.startsWith(`${folder}/`);
      })
      .map(target => `${file}: ${target}`),
  );
}

describe('folder boundaries', () => {
  it('keeps snapshots/ and manifests/ out of collection/', () => {
    const files = [...sourceFiles('snapshots'), ...sourceFiles('manifests')];
    expect(files.length).toBeGreaterThan(0);
    expect(importsInto(files, 'collection')).toEqual([]);
  });

  it('lets collection/ use only SnapshotStore from snapshots/', () => {
    const imports = importsInto(sourceFiles('collection'), 'snapshots');
    expect(imports).toContain('collection/ClusterWatcher.ts: ../snapshots/SnapshotStore');
    expect(imports.filter(line => !line.endsWith(': ../snapshots/SnapshotStore'))).toEqual([]);
  });

  it('keeps inventory/ and objects/ free of both sides', () => {
    const files = [...sourceFiles('inventory'), ...sourceFiles('objects')];
    expect(files.length).toBeGreaterThan(0);
    for (const folder of ['collection', 'snapshots', 'manifests']) {
      expect(importsInto(files, folder)).toEqual([]);
    }
  });

  it('keeps the request side (views/, permissions/) away from cluster objects', () => {
    const files = [...sourceFiles('views'), ...sourceFiles('permissions')];
    expect(files.length).toBeGreaterThan(0);
    for (const folder of ['engine', 'collection', 'manifests']) {
      expect(importsInto(files, folder)).toEqual([]);
    }
  });
});
