import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AtlasModel,
  CLOUD_PROVIDERS,
  Severity,
  isCloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  analyze,
  ManifestError,
} from '@ingress-atlas/plugin-ingress-atlas-backend';
import { formatModel } from './formatModel';
import { loadInputs } from './loadInputs';

/** Exit codes, as istioctl analyze uses them. */
export const EXIT = {
  ok: 0,
  unknown: 1,
  usage: 64,
  badInput: 65,
  findings: 79,
} as const;

const USAGE = `Usage: ingress-atlas analyze -f <file|dir>... [options]

Analyzes Kubernetes manifests offline (kubectl get -o yaml dumps, GitOps folders, or an
estates folder with estates.yaml) and prints exposure paths, costs and findings.

Options:
  -f, --filename <path>       manifest file or folder (repeatable; extra arguments too)
  -o, --output table|json     output format (default: table)
      --fail-on <severity>    exit ${EXIT.findings} if a finding is at least: info|warning|error|none (default: error)
      --cluster-name <name>   name for the cluster of plain manifest files
      --provider <id>         tencent|aliyun|huawei|generic (default: inferred from annotations)
      --cloud <file>          cloud inventories (JSON/YAML, as the backend collects them)
      --entities <file>       catalog entities (catalog-info YAML) to map paths to owners
      --now <iso-date>        the moment certificate expiry is measured from (default: now)
  -h, --help                  this help

Exit codes: 0 ok, ${EXIT.findings} findings at or above --fail-on, ${EXIT.badInput} bad input, ${EXIT.usage} bad usage.
`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  now: () => Date;
}

class UsageError extends Error {}

function failing(model: AtlasModel, failOn: string): boolean {
  if (failOn === 'none') return false;
  return model.findings.some(f => RANK[f.severity] >= RANK[failOn as Severity]);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (
      !command ||
      command === '-h' ||
      command === '--help' ||
      command === 'help'
    ) {
      io.stdout(USAGE);
      return command ? EXIT.ok : EXIT.usage;
    }
    if (command !== 'analyze')
      throw new UsageError(`unknown command '${command}'`);

    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          filename: { type: 'string', short: 'f', multiple: true },
          output: { type: 'string', short: 'o', default: 'table' },
          'fail-on': { type: 'string', default: 'error' },
          'cluster-name': { type: 'string' },
          provider: { type: 'string' },
          cloud: { type: 'string', multiple: true },
          entities: { type: 'string', multiple: true },
          now: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    const paths = [...(values.filename ?? []), ...positionals].map(p =>
      path.resolve(io.cwd, p),
    );
    if (paths.length === 0)
      throw new UsageError('give at least one -f <file|dir>');
    if (!['table', 'json'].includes(values.output!))
      throw new UsageError(`-o must be table or json, not '${values.output}'`);
    if (!['info', 'warning', 'error', 'none'].includes(values['fail-on']!)) {
      throw new UsageError(
        `--fail-on must be info, warning, error or none, not '${values['fail-on']}'`,
      );
    }
    if (values.provider && !isCloudProvider(values.provider)) {
      throw new UsageError(
        `--provider must be one of ${CLOUD_PROVIDERS.join(', ')}`,
      );
    }
    const now = values.now ? new Date(values.now) : io.now();
    if (Number.isNaN(now.getTime()))
      throw new UsageError(`--now '${values.now}' is not a date`);

    const inputs = await loadInputs({
      paths,
      clusterName: values['cluster-name'],
      provider: values.provider as any,
      cloudFiles: values.cloud?.map(p => path.resolve(io.cwd, p)),
      entitiesFiles: values.entities?.map(p => path.resolve(io.cwd, p)),
    });
    const model = analyze({
      clusters: inputs.clusters,
      clouds: inputs.clouds,
      entities: inputs.entities,
      now,
    });

    if (values.output === 'json') {
      io.stdout(`${JSON.stringify(model, null, 2)}\n`);
    } else {
      io.stdout(formatModel(model));
      const kinds = Object.entries(inputs.skipped);
      const documents = inputs.skippedDocuments;
      if (kinds.length) {
        io.stderr(
          `Not analyzed: ${kinds
            .map(([kind, n]) => `${n} ${kind}`)
            .join(', ')}\n`,
        );
      }
      if (documents.length) {
        io.stderr(
          `Skipped ${documents.length} document(s):\n${documents
            .map(d => `  ${d.file}:${d.line} ${d.reason}\n`)
            .join('')}`,
        );
      }
    }
    const unanalysed = model.clusters.filter(c => c.analysisError);
    for (const cluster of unanalysed) {
      io.stderr(`Error: cluster ${cluster.name}: ${cluster.analysisError}\n`);
    }
    if (unanalysed.length > 0) return EXIT.badInput;
    return failing(model, values['fail-on']!) ? EXIT.findings : EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`Error: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof ManifestError) {
      io.stderr(`Error: ${error.message}\n`);
      return EXIT.badInput;
    }
    io.stderr(`Error: ${(error as Error).message}\n`);
    return EXIT.unknown;
  }
}
