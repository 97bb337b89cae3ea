/*
 * Starts the sandbox world until interrupted:
 *
 *   yarn sandbox [--estates examples/sandbox] [--clusters tke-blog,edge] [--no-cloud]
 *                [--scale 20x5000] [--base-port 0] [--kubeconfig /tmp/sandbox.kubeconfig]
 *                [--dns-ttl 5]
 *
 * Run from the repository root. --scale NxM adds N generated clusters of M Services each
 * (ports 6500+i), for benchmarks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sandboxKubeconfig } from './kubeconfig';
import { generateEstate } from './scale/generateEstate';
import { startSandbox } from './startSandbox';

async function main() {
  const { values } = parseArgs({
    options: {
      estates: { type: 'string', default: 'examples/sandbox' },
      clusters: { type: 'string' },
      'no-cloud': { type: 'boolean', default: false },
      'no-estates': { type: 'boolean', default: false },
      scale: { type: 'string' },
      'base-port': { type: 'string' },
      kubeconfig: { type: 'string' },
      'dns-ttl': { type: 'string' },
    },
  });
  const scale = values.scale ? /^(\d+)x(\d+)$/.exec(values.scale) : undefined;
  if (values.scale && !scale) {
    throw new Error(
      `--scale must look like 20x5000 (clusters x services), got "${values.scale}"`,
    );
  }
  const started = Date.now();
  const sandbox = await startSandbox({
    estatesDir: values['no-estates']
      ? undefined
      : path.resolve(values.estates!),
    clusters: values.clusters?.split(',').map(c => c.trim()),
    withCloud: !values['no-cloud'],
    basePort:
      values['base-port'] === undefined
        ? undefined
        : Number(values['base-port']),
    dnsTtl:
      values['dns-ttl'] === undefined ? undefined : Number(values['dns-ttl']),
    generated: scale
      ? generateEstate({
          clusters: Number(scale[1]),
          servicesPerCluster: Number(scale[2]),
        })
      : undefined,
  });
  if (values.kubeconfig) {
    // HTTPS, so kubectl sends the token.
    const servers = Object.fromEntries(
      Object.entries(sandbox.clusters).map(([name, c]) => [
        name,
        { url: c.httpsUrl, token: c.token },
      ]),
    );
    fs.writeFileSync(values.kubeconfig, sandboxKubeconfig(servers), {
      mode: 0o600,
    });
  }
  const clusters = Object.entries(sandbox.clusters).map(
    ([name, { url }]) => `${name}=${url}`,
  );
  process.stdout.write(
    `Sandbox ready in ${Date.now() - started} ms: ${clusters.join(' ')}` +
      `${sandbox.cloud ? ` tencent-cloud=${sandbox.cloud.url}` : ''} control=${
        sandbox.control.url
      }` +
      `${values.kubeconfig ? ` kubeconfig=${values.kubeconfig}` : ''}\n`,
  );
  const stop = () => {
    void sandbox.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  process.stderr.write(`Sandbox failed to start: ${error.message}\n`);
  process.exit(1);
});
