/*
 * The conformance corpus: real manifests from public repositories, each with the conclusions an
 * expert draws from reading it (`<file>.expect.yaml`), checked against what the analyzer says.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { analyze } from '../analyze';
import { loadManifestCluster } from '../../manifests';

/** The corpus lives at the repository root, next to the other cross-package tests. */
export const CORPUS_DIR = path.resolve(__dirname, '../../../../../test/corpus');

/** What an expert expects of one manifest file. Every key is optional. */
export interface Expectations {
  /** Why the file is in the corpus, in a sentence. */
  about?: string;
  provider?: 'tencent' | 'aliyun' | 'huawei' | 'generic';
  /** Objects the analyzer reads, and documents it skips as not Kubernetes objects. */
  objects?: number;
  skippedDocuments?: number;
  /** Objects read, by collected kind (`deployments`, `k8sGateways`...). */
  read?: Record<string, number>;
  entries?: Array<{
    /** `namespace/name` of the Service (or workload) the entry is, or `ingress` for cloud Ingress. */
    of: string;
    type?: string;
    network?: 'public' | 'internal' | 'unknown';
    /** A substring of the reason given. */
    reason?: string;
    ports?: number[];
  }>;
  /** Entries that must not exist (by `of`). */
  noEntries?: string[];
  gateways?: Array<{
    /** `namespace/name` of a configuration object (Istio/Gateway API Gateway, IstioOperator) of it. */
    config: string;
    origin?: 'observed' | 'declared' | 'inferred';
    eastWest?: boolean;
    listeners?: Array<{
      port: number;
      protocol?: string;
      tls?: string;
      hosts?: string[];
    }>;
  }>;
  /** Routes that must exist; an empty list means the model has none. */
  routes?: Array<{
    /** `Kind namespace/name`. */
    route: string;
    hosts?: string[];
    /** `host[:port]` of every destination, in order. */
    backends?: string[];
    /** Whether it is bound to a gateway. */
    bound?: boolean;
  }>;
  /** Control planes that must exist; an empty list means the model has none. */
  controlPlanes?: Array<{
    kind: string;
    revision?: string;
    meshId?: string;
    network?: string;
    clusterName?: string;
  }>;
  findings?: { present?: string[]; absent?: string[] };
  /** Expectations the analyzer is known to miss, by their label, with why: reported, not hidden. */
  gaps?: Record<string, string>;
}

export interface Check {
  label: string;
  met: boolean;
  detail?: string;
  gap?: string;
}

export interface CorpusFile {
  category: string;
  file: string;
  source: string;
  licence: string;
  expectations: Expectations;
}

/** Every manifest of the corpus with its expectations, by category folder. */
export async function corpusFiles(dir = CORPUS_DIR): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  for (const category of (await fs.readdir(dir)).sort()) {
    const folder = path.join(dir, category);
    if (!(await fs.stat(folder)).isDirectory()) continue;
    for (const name of (await fs.readdir(folder)).sort()) {
      if (!/\.(ya?ml|json)$/.test(name) || name.includes('.expect.')) continue;
      const file = path.join(folder, name);
      const text = await fs.readFile(file, 'utf8');
      const expectFile = file.replace(/\.(ya?ml|json)$/, '.expect.yaml');
      files.push({
        category,
        file,
        source: text.match(/^(?:#|\/\/) source: (.+)$/m)?.[1] ?? '',
        licence: text.match(/^(?:#|\/\/) licence: (.+)$/m)?.[1] ?? '',
        expectations: parse(await fs.readFile(expectFile, 'utf8')) ?? {},
      });
    }
  }
  return files;
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

function entryOwner(entry: AtlasModel['entries'][number]): string {
  const owner = entry.service ?? entry.target;
  return owner ? `${owner.namespace}/${owner.name}` : 'ingress';
}

/** Analyses one corpus file as `ingress-atlas analyze -f <file>` does, and checks every expectation. */
export async function checkFile(corpus: CorpusFile): Promise<Check[]> {
  const e = corpus.expectations;
  const { inventory, skipped, skippedDocuments } = await loadManifestCluster(
    [corpus.file],
    {
      name: 'corpus',
      ...(e.provider ? { provider: e.provider } : {}),
    },
  );
  const model = analyze({ clusters: [inventory], now: '2026-12-01T00:00:00Z' });
  const checks: Check[] = [];
  const check = (label: string, met: boolean, detail?: string) =>
    checks.push({ label, met, detail, gap: e.gaps?.[label] });

  if (e.objects !== undefined) {
    const read =
      Object.values(inventory.objects).reduce(
        (n, list) => n + (list?.length ?? 0),
        0,
      ) + Object.values(skipped).reduce((n, c) => n + c, 0);
    check(`objects: ${e.objects}`, read === e.objects, `read ${read}`);
  }
  for (const [kind, n] of Object.entries(e.read ?? {})) {
    const count =
      (inventory.objects as Record<string, unknown[]>)[kind]?.length ?? 0;
    check(`read ${n} ${kind}`, count === n, `read ${count}`);
  }
  if (e.skippedDocuments !== undefined) {
    const documents = skippedDocuments.length;
    check(
      `skipped documents: ${e.skippedDocuments}`,
      documents === e.skippedDocuments,
      `skipped ${documents}`,
    );
  }
  for (const want of e.entries ?? []) {
    const found = model.entries.filter(
      x => entryOwner(x) === want.of && (!want.type || x.type === want.type),
    );
    const entry = found[0];
    const label = `entry ${want.of}${want.type ? ` ${want.type}` : ''}`;
    check(
      `${label} exists`,
      !!entry,
      `entries: ${model.entries.map(entryOwner).join(', ')}`,
    );
    if (!entry) continue;
    if (want.network)
      check(
        `${label} network ${want.network}`,
        entry.network === want.network,
        `${entry.network}: ${entry.networkReason}`,
      );
    if (want.reason)
      check(
        `${label} reason ~ ${want.reason}`,
        entry.networkReason.includes(want.reason),
        entry.networkReason,
      );
    if (want.ports) {
      const ports = entry.ports.map(p => p.port);
      check(
        `${label} ports ${want.ports.join(',')}`,
        same(
          [...ports].sort((a, b) => a - b),
          [...want.ports].sort((a, b) => a - b),
        ),
        ports.join(','),
      );
    }
  }
  for (const of of e.noEntries ?? []) {
    check(`no entry ${of}`, !model.entries.some(x => entryOwner(x) === of));
  }
  for (const want of e.gateways ?? []) {
    const [namespace, name] = want.config.split('/');
    const gateway = model.gateways.find(g =>
      g.configs.some(
        c => c.name === name && (c.namespace ?? '') === (namespace ?? ''),
      ),
    );
    const label = `gateway of ${want.config}`;
    check(
      `${label} exists`,
      !!gateway,
      `gateways: ${model.gateways.map(g => g.id).join(', ')}`,
    );
    if (!gateway) continue;
    if (want.origin)
      check(
        `${label} origin ${want.origin}`,
        (gateway.origin ?? 'observed') === want.origin,
        gateway.origin ?? 'observed',
      );
    if (want.eastWest !== undefined)
      check(
        `${label} east-west ${want.eastWest}`,
        gateway.eastWest === want.eastWest,
      );
    for (const l of want.listeners ?? []) {
      const listener = gateway.listeners.find(
        x =>
          x.port === l.port &&
          x.source.name === name &&
          (!l.hosts || same(x.hosts, l.hosts)),
      );
      const llabel = `${label} listener ${l.port}${
        l.hosts ? ` ${l.hosts.join(',')}` : ''
      }`;
      check(
        `${llabel} exists`,
        !!listener,
        gateway.listeners.map(x => `${x.port} ${x.hosts}`).join('; '),
      );
      if (!listener) continue;
      if (l.protocol)
        check(
          `${llabel} protocol ${l.protocol}`,
          listener.protocol === l.protocol,
          listener.protocol,
        );
      if (l.tls)
        check(
          `${llabel} tls ${l.tls}`,
          (listener.tls?.mode ?? 'NONE') === l.tls,
          listener.tls?.mode ?? 'NONE',
        );
    }
  }
  if (e.routes?.length === 0)
    check(
      'no routes',
      model.routes.length === 0,
      model.routes.map(r => `${r.kind} ${r.namespace}/${r.name}`).join(', '),
    );
  for (const want of e.routes ?? []) {
    const [kind, ref] = want.route.split(' ');
    const [namespace, name] = ref.split('/');
    const route = model.routes.find(
      r => r.kind === kind && r.namespace === namespace && r.name === name,
    );
    check(
      `route ${want.route} exists`,
      !!route,
      model.routes.map(r => `${r.kind} ${r.namespace}/${r.name}`).join(', '),
    );
    if (!route) continue;
    if (want.hosts)
      check(
        `route ${want.route} hosts ${want.hosts.join(',')}`,
        same([...route.hosts].sort(), [...want.hosts].sort()),
        route.hosts.join(','),
      );
    if (want.backends) {
      const backends = route.destinations.map(
        d => `${d.host}${d.port ? `:${d.port}` : ''}`,
      );
      check(
        `route ${want.route} backends ${want.backends.join(',')}`,
        same(backends, want.backends),
        backends.join(','),
      );
    }
    if (want.bound !== undefined)
      check(
        `route ${want.route} bound ${want.bound}`,
        route.gateways.length > 0 === want.bound,
        route.gateways.join(','),
      );
  }
  if (e.controlPlanes?.length === 0)
    check(
      'no control planes',
      model.controlPlanes.length === 0,
      model.controlPlanes.map(p => `${p.kind} ${p.revision}`).join(', '),
    );
  for (const want of e.controlPlanes ?? []) {
    const plane = model.controlPlanes.find(
      p =>
        p.kind === want.kind &&
        (!want.revision || p.revision === want.revision),
    );
    const label = `control plane ${want.kind}${
      want.revision ? ` ${want.revision}` : ''
    }`;
    check(
      `${label} exists`,
      !!plane,
      model.controlPlanes.map(p => `${p.kind} ${p.revision}`).join(', '),
    );
    if (!plane) continue;
    for (const key of ['meshId', 'network', 'clusterName'] as const) {
      if (want[key] !== undefined)
        check(
          `${label} ${key} ${want[key]}`,
          plane[key] === want[key],
          String(plane[key]),
        );
    }
  }
  const codes = model.findings.map(f => f.code);
  for (const code of e.findings?.present ?? [])
    check(`finding ${code}`, codes.includes(code), codes.join(','));
  for (const code of e.findings?.absent ?? [])
    check(`no finding ${code}`, !codes.includes(code), codes.join(','));
  return checks;
}

export interface CategoryResult {
  category: string;
  files: number;
  met: number;
  total: number;
}

/** Checks the whole corpus: per category, expectations met out of all. */
export async function checkCorpus(dir = CORPUS_DIR) {
  const files = await corpusFiles(dir);
  const results = [];
  for (const file of files)
    results.push({ file, checks: await checkFile(file) });
  const categories = new Map<string, CategoryResult>();
  for (const { file, checks } of results) {
    const c = categories.get(file.category) ?? {
      category: file.category,
      files: 0,
      met: 0,
      total: 0,
    };
    c.files += 1;
    c.met += checks.filter(x => x.met).length;
    c.total += checks.length;
    categories.set(file.category, c);
  }
  return { results, categories: [...categories.values()] };
}
