/**
 * How fast the offline CLI reads a large cluster dump: writes a `kubectl get -A -o yaml`-style
 * List of a generated estate (the sandbox's scale generator), then runs
 * `yarn ingress-atlas analyze -f <dump>` on it as a user would and prints the dump's size and
 * object count, the wall time and the peak RSS of the analysing process.
 *
 *   yarn bench:offline [--services 9000]
 *
 * Each object carries a `metadata.managedFields` entry shaped like the one an API server writes
 * for the fields it holds and the `last-applied-configuration` annotation `kubectl apply`
 * leaves (kubectl dumps include both; they are most of a dump's size).
 *
 * A script that prints figures, not a timed test (the README's "What it understands" quotes it).
 */
import { generateEstate } from '@ingress-atlas/sandbox';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** `fieldsV1` of a manager owning every field of `value`, as an API server writes it. */
function fieldsOf(value: unknown): object {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((item, i) => [
        `k:{"index":${i}}`,
        { '.': {}, ...fieldsOf(item) },
      ]),
    );
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [`f:${key}`, fieldsOf(item)]),
    );
  }
  return {};
}

function withManagedFields(object: any) {
  const { metadata, status, ...rest } = object;
  const { name, namespace, ...owned } = metadata;
  // What `kubectl apply` wrote: the applied object as JSON, status aside.
  const applied = JSON.stringify({
    ...rest,
    metadata: { name, namespace, ...owned },
  });
  return {
    ...object,
    metadata: {
      ...metadata,
      annotations: {
        ...metadata.annotations,
        'kubectl.kubernetes.io/last-applied-configuration': `${applied}\n`,
      },
      managedFields: [
        {
          apiVersion: object.apiVersion,
          fieldsType: 'FieldsV1',
          fieldsV1: fieldsOf({ metadata: owned, ...rest }),
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          time: '2026-11-20T08:00:00Z',
        },
        ...(status
          ? [
              {
                apiVersion: object.apiVersion,
                fieldsType: 'FieldsV1',
                fieldsV1: fieldsOf({ status }),
                manager: 'kube-controller-manager',
                operation: 'Update',
                subresource: 'status',
                time: '2026-11-20T08:00:05Z',
              },
            ]
          : []),
      ],
    },
  };
}

function main() {
  const { values } = parseArgs({
    options: { services: { type: 'string', default: '9000' } },
  });
  const servicesPerCluster = Number(values.services);
  const [cluster] = generateEstate({
    clusters: 1,
    servicesPerCluster,
    basePort: 0,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-offline-'));
  const dump = path.join(dir, 'cluster-dump.yaml');
  try {
    fs.writeFileSync(
      dump,
      YAML.stringify(
        {
          apiVersion: 'v1',
          kind: 'List',
          items: cluster.objects.map(withManagedFields),
        },
        // kubectl writes every object out in full: no YAML anchors for repeated values.
        { aliasDuplicateObjects: false },
      ),
    );
    const megabytes = fs.statSync(dump).size / 2 ** 20;

    // GNU time reports the peak RSS of the process it runs (and of its children).
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%e %M',
        process.execPath,
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(REPO_ROOT, 'packages/cli/src/index.ts'),
        'analyze',
        '-f',
        dump,
        '-o',
        'json',
        '--fail-on',
        'none',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    if (run.status !== 0) {
      throw new Error(
        `analyze exited ${run.status}: ${run.stderr.slice(-2000)}`,
      );
    }
    const [seconds, peakKb] = run.stderr
      .trim()
      .split('\n')
      .pop()!
      .split(' ')
      .map(Number);
    const model = JSON.parse(run.stdout);
    process.stdout.write(
      [
        `dump: ${megabytes.toFixed(1)} MiB, ${
          cluster.objects.length
        } objects (${servicesPerCluster} Services)`,
        `analyze -f: ${seconds.toFixed(1)} s wall, peak RSS ${(
          peakKb / 1024
        ).toFixed(0)} MiB`,
        `model: ${model.paths?.length ?? 0} paths, ${
          model.entries?.length ?? 0
        } entries, ${model.findings?.length ?? 0} findings`,
      ].join('\n') + '\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
