import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

/** The config a deployment reads: app-config.yaml, then app-config.production.yaml. */
async function productionConfig() {
  const env: Record<string, string> = {
    APP_BASE_URL: 'https://portal.example.com',
    AUTH_OIDC_METADATA_URL:
      'https://id.example.com/.well-known/openid-configuration',
    AUTH_OIDC_CLIENT_ID: 'portal',
    AUTH_OIDC_CLIENT_SECRET: 'not-a-real-secret',
    CATALOG_ORG_URL: 'https://git.example.com/platform/org/blob/main/org.yaml',
    POSTGRES_HOST: 'db',
    POSTGRES_PORT: '5432',
    POSTGRES_USER: 'backstage',
    POSTGRES_PASSWORD: 'not-a-real-password',
  };
  const { appConfigs } = await loadConfig({
    configRoot: repoRoot,
    configTargets: ['app-config.yaml', 'app-config.production.yaml'].map(
      file => ({ path: path.join(repoRoot, file) }),
    ),
    experimentalEnvFunc: async name => env[name],
  });
  return ConfigReader.fromConfigs(appConfigs);
}

describe('the production configuration', () => {
  it('has no guest sign-in and signs in through OIDC with a resolver', async () => {
    const config = await productionConfig();
    const providers = config.getConfig('auth.providers');
    expect(providers.keys()).toEqual(['oidc']);
    expect(JSON.stringify(config.get('auth'))).not.toContain(
      'dangerouslyAllowOutsideDevelopment',
    );
    const oidc = providers.getConfig('oidc.production');
    expect(oidc.getString('metadataUrl')).toBe(
      'https://id.example.com/.well-known/openid-configuration',
    );
    expect(
      oidc.getConfigArray('signIn.resolvers').map(r => r.getString('resolver')),
    ).toEqual(['emailMatchingUserEntityProfileEmail']);
    expect(config.getString('auth.environment')).toBe('production');
  });

  it('loads no demo data, and every file location it names exists', async () => {
    const config = await productionConfig();
    const locations = config
      .getConfigArray('catalog.locations')
      .map(l => ({ type: l.getString('type'), target: l.getString('target') }));
    // The demo organisation (whose guest is a platform admin) and demo entities stay out.
    expect(locations.filter(l => l.type === 'file').map(l => l.target)).toEqual(
      ['./examples/templates/*.yaml'],
    );
    expect(locations).toContainEqual({
      type: 'url',
      target: 'https://git.example.com/platform/org/blob/main/org.yaml',
    });
    // A deployment runs the backend from the repository root (see the file's first lines).
    for (const { target } of locations.filter(l => l.type === 'file')) {
      const dir = path.dirname(path.join(repoRoot, target));
      const pattern = new RegExp(
        `^${path.basename(target).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`,
      );
      expect(
        fs.readdirSync(dir).filter(f => pattern.test(f)).length,
      ).toBeGreaterThan(0);
    }
    expect(
      config.getOptionalConfigArray('ingressAtlas.clusters') ?? [],
    ).toEqual([]);
    expect(
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods'),
    ).toEqual([]);
  });

  it('keeps the sandbox portal on this machine, and its data across restarts', async () => {
    const { appConfigs } = await loadConfig({
      configRoot: repoRoot,
      configTargets: ['app-config.yaml', 'app-config.sandbox.yaml'].map(
        file => ({ path: path.join(repoRoot, file) }),
      ),
    });
    const config = ConfigReader.fromConfigs(appConfigs);
    expect(config.getString('backend.listen.host')).toBe('127.0.0.1');
    // A restart serves the last model, catalog and tasks: SQLite files, not memory, in a
    // folder git ignores.
    const directory = config.getString('backend.database.connection.directory');
    const dataDir = path.resolve(repoRoot, 'packages/backend', directory);
    expect(path.relative(repoRoot, dataDir)).toBe('.data/sqlite');
    expect(fs.readFileSync(path.join(repoRoot, '.gitignore'), 'utf8')).toMatch(/^\.data\/$/m);
    // An interrupted migration resumes after a restart.
    expect(config.getBoolean('scaffolder.taskRecovery.enabled')).toBe(true);
  });
});
