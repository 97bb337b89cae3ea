// Adds the packed Ingress Atlas plugins to an app made by @backstage/create-app, as the README's
// "Adding it to your own Backstage" says, and points it at a running sandbox:
//   node scripts/fresh-app/adapt.mjs packages <app dir> <folder of the packed .tgz files>
//   node scripts/fresh-app/adapt.mjs config <app dir> <port> "<the sandbox's ready line>"
// `packages` also sets what any app on this machine's registry needs (see the repository's own
// .yarnrc.yml and package.json): the optional-dependency fallback plugin, no automatic @types
// lookups, and the same pins of @yarnpkg/core and better-sqlite3. `config` writes
// app-config.local.yaml: the frontend on <port>, the backend on <port> + 1, the sandbox's
// clusters and cloud account as the repository's sandbox portal reads them, the demo entities.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

const [command, appArg, ...args] = process.argv.slice(2);
const appDir = path.resolve(appArg ?? '.');
const repoRoot = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../..',
);

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

function addPackages(packsDir) {
  // The packed packages by name, from the file names `yarn pack --out %s.tgz` gives them.
  const packs = Object.fromEntries(
    fs
      .readdirSync(packsDir)
      .filter(file => file.endsWith('.tgz'))
      .map(file => {
        const name = file
          .replace(/\.tgz$/, '')
          .replace(/^@ingress-atlas-/, '@ingress-atlas/');
        return [name, `file:${path.join(packsDir, file)}`];
      }),
  );
  const FRONTEND = '@ingress-atlas/plugin-ingress-atlas';
  const BACKEND = [
    '@ingress-atlas/plugin-ingress-atlas-backend',
    '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent',
    '@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas',
    '@ingress-atlas/plugin-search-backend-module-ingress-atlas',
    '@ingress-atlas/plugin-catalog-backend-module-ingress-atlas',
  ];
  for (const name of [FRONTEND, ...BACKEND]) {
    if (!packs[name])
      throw new Error(`${name} was not packed into ${packsDir}`);
  }

  // Root: every Ingress Atlas package from its tarball, also where one depends on another.
  const rootFile = path.join(appDir, 'package.json');
  const root = readJson(rootFile);
  const ours = readJson(path.join(repoRoot, 'package.json'));
  root.resolutions = {
    ...root.resolutions,
    ...packs,
    '@yarnpkg/core': ours.resolutions['@yarnpkg/core'],
  };
  writeJson(rootFile, root);

  const addDependencies = (pkg, names) => {
    const file = path.join(appDir, 'packages', pkg, 'package.json');
    const json = readJson(file);
    for (const name of names) json.dependencies[name] = packs[name];
    if (pkg === 'backend') {
      json.dependencies['better-sqlite3'] = readJson(
        path.join(repoRoot, 'packages/backend/package.json'),
      ).dependencies['better-sqlite3'];
    }
    writeJson(file, json);
  };
  // The frontend plugin is found by the app's package discovery (`app.packages: all`).
  addDependencies('app', [FRONTEND]);
  addDependencies('backend', BACKEND);

  // The backend plugins, added as the README shows.
  const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
  const index = fs.readFileSync(indexFile, 'utf8');
  if (!index.includes('backend.start();')) {
    throw new Error(`${indexFile} has no backend.start()`);
  }
  fs.writeFileSync(
    indexFile,
    index.replace(
      'backend.start();',
      `${BACKEND.map(name => `backend.add(import('${name}'));`).join(
        '\n',
      )}\nbackend.start();`,
    ),
  );

  // yarn: the repository's settings for this registry.
  const yarnrcFile = path.join(appDir, '.yarnrc.yml');
  const yarnrc = YAML.parse(fs.readFileSync(yarnrcFile, 'utf8'));
  const ourYarnrc = YAML.parse(
    fs.readFileSync(path.join(repoRoot, '.yarnrc.yml'), 'utf8'),
  );
  fs.mkdirSync(path.join(appDir, '.yarn/plugins'), { recursive: true });
  for (const plugin of ourYarnrc.plugins ?? []) {
    fs.copyFileSync(
      path.join(repoRoot, plugin.path),
      path.join(appDir, plugin.path),
    );
  }
  fs.writeFileSync(
    yarnrcFile,
    YAML.stringify({
      ...yarnrc,
      tsEnableAutoTypes: false,
      enableTelemetry: false,
      plugins: ourYarnrc.plugins,
    }),
  );
}

/** The sandbox's ports from its ready line: `tke-blog=http://127.0.0.1:6541 … control=…`. */
function writeConfig(port, readyLine) {
  const urls = Object.fromEntries(
    [...readyLine.matchAll(/([\w-]+)=(http:\/\/127\.0\.0\.1:\d+)/g)].map(m => [
      m[1],
      m[2],
    ]),
  );
  const sandbox = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.sandbox.yaml'), 'utf8'),
  ).ingressAtlas;
  const frontend = `http://localhost:${port}`;
  const backend = `http://localhost:${port + 1}`;
  const ingressAtlas = {
    ...sandbox,
    clusters: sandbox.clusters.map(cluster => {
      if (!urls[cluster.name])
        throw new Error(`the sandbox runs no ${cluster.name}`);
      return { ...cluster, url: urls[cluster.name] };
    }),
    providers: {
      tencent: sandbox.providers.tencent.map(account => ({
        ...account,
        endpoint: urls['tencent-cloud'],
      })),
    },
    reachability: { probeUrl: `${urls.control}/reachability` },
  };
  fs.writeFileSync(
    path.join(appDir, 'app-config.local.yaml'),
    YAML.stringify({
      app: { baseUrl: frontend },
      backend: {
        baseUrl: backend,
        listen: { port: port + 1 },
        cors: { origin: frontend },
      },
      catalog: {
        locations: [
          {
            type: 'file',
            target: path.join(repoRoot, 'examples/entities.yaml'),
          },
        ],
      },
      ingressAtlas,
    }),
  );
  console.log(`Wrote ${path.join(appDir, 'app-config.local.yaml')}`);
}

if (command === 'packages') {
  addPackages(path.resolve(args[0]));
} else if (command === 'config') {
  writeConfig(Number(args[0]), args[1]);
} else {
  throw new Error(`usage: adapt.mjs packages|config <app dir> …`);
}
