import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

/**
 * Bad input in a manifest file, with where it is.
 *
 * @public
 */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.name = 'ManifestError';
  }
}

/**
 * A document of a manifest file that is not a Kubernetes object, and why it was left out.
 *
 * @public
 */
export interface SkippedDocument {
  file: string;
  line: number;
  reason: string;
}

/**
 * The YAML parser's message without the position it appends (a {@link ManifestError} carries it
 * already).
 *
 * @public
 */
export function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The name `istioctl install` stores an IstioOperator under (`installed-state[-<revision>]`):
 * the file given to `istioctl install -f` needs no name, and often has none.
 */
function istioOperatorName(object: Record<string, any>): string {
  const revision = object.spec?.revision;
  return typeof revision === 'string' && revision
    ? `installed-state-${revision}`
    : 'installed-state';
}

/**
 * Why a document is not a Kubernetes object, or undefined when it is one. Files in GitOps
 * repositories hold Helm values, kustomization.yaml, Envoy bootstraps and kubeconfigs next to
 * manifests; those have no apiVersion and kind, or (kustomize, kubeconfig) no metadata.
 */
function notAnObject(value: unknown): string | undefined {
  if (!isObject(value)) {
    return `not a Kubernetes object (a ${
      Array.isArray(value) ? 'sequence' : typeof value
    }, not a mapping)`;
  }
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    return 'not a Kubernetes object (no apiVersion and kind)';
  }
  if (
    value.metadata === undefined &&
    !isList(value) &&
    value.kind !== 'IstioOperator'
  ) {
    return `not a Kubernetes object (${value.apiVersion} ${value.kind} has no metadata)`;
  }
  return undefined;
}

function isList(value: Record<string, any>): boolean {
  return /List$/.test(String(value.kind ?? '')) && Array.isArray(value.items);
}

const FLOW_OPEN = new Set(['[', '{']);
const FLOW_CLOSE = new Set([']', '}']);
const BLOCK_SCALAR = /(^|[\s:-])[|>][+-]?\d*\s*(#.*)?$/;

/**
 * go-yaml, which kubectl uses, accepts flow collections (`[...]`, `{...}`) whose continuation
 * lines are indented no deeper than the key that opens them; YAML 1.2 and the `yaml` package
 * do not. This indents such lines one column deeper than their block so the document reads as
 * go-yaml reads it. Only spaces are added: line numbers stay right.
 */
export function indentFlowContinuations(text: string): string {
  const lines = text.split('\n');
  let depth = 0;
  let blockIndent = 0;
  let quote: string | undefined;
  let scalarIndent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (scalarIndent !== undefined) {
      if (line.trim() === '' || indent > scalarIndent) continue;
      scalarIndent = undefined;
    }
    if (depth > 0 && quote === undefined && indent <= blockIndent) {
      lines[i] = `${' '.repeat(blockIndent + 1 - indent)}${line}`;
    }
    // The key owning the flow starts after any `- ` of the sequences it sits in.
    if (depth === 0) blockIndent = line.match(/^\s*(?:-\s+)*/)![0].length;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (quote) {
        if (ch === '\\' && quote === '"') c++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") {
        // A quote inside a plain scalar (`it's`) does not open a string.
        if (depth > 0 || /[\s:\-[{,]/.test(line[c - 1] ?? ' ')) quote = ch;
      } else if (ch === '#' && /\s/.test(line[c - 1] ?? ' ')) {
        break;
      } else if (
        FLOW_OPEN.has(ch) &&
        (depth > 0 || /[\s:-]/.test(line[c - 1] ?? ' '))
      ) {
        depth++;
      } else if (FLOW_CLOSE.has(ch) && depth > 0) {
        depth--;
      }
    }
    if (depth === 0 && quote === undefined && BLOCK_SCALAR.test(line)) {
      scalarIndent = indent;
    }
  }
  return lines.join('\n');
}

function parseDocuments(text: string) {
  const lineCounter = new LineCounter();
  // Warnings (e.g. a template's `{{ .x }}` read as a mapping key) would go to the process's
  // stderr; errors are what decide.
  const documents = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: false,
    logLevel: 'error',
  });
  return {
    lineCounter,
    documents: (Array.isArray(documents)
      ? documents
      : [documents]) as Document.Parsed[],
  };
}

function hasFlowIndentError(documents: Document.Parsed[]): boolean {
  return documents.some(d =>
    d.errors.some(
      e =>
        e.code === 'BAD_INDENT' && /^Flow (sequence|mapping)/.test(e.message),
    ),
  );
}

/** A document's value, the line it starts on, and the lines its List items start on if known. */
interface ParsedDocument {
  /** As the YAML reads: anything until `notAnObject` has looked at it. */
  value: any;
  line: number;
  itemLines?: number[];
}

/** Every document of a file as the `yaml` package reads it, with go-yaml's flow indentation. */
function readDocuments(text: string, file: string): ParsedDocument[] {
  let parsed = parseDocuments(text);
  if (hasFlowIndentError(parsed.documents)) {
    const relaxed = parseDocuments(indentFlowContinuations(text));
    if (relaxed.documents.every(d => d.errors.length === 0)) parsed = relaxed;
  }
  const { documents, lineCounter } = parsed;
  return documents.map(document => {
    const [error] = document.errors;
    if (error) {
      const line =
        error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      throw new ManifestError(
        file,
        line,
        `invalid YAML: ${yamlMessage(error.message)}`,
      );
    }
    const start = document.contents?.range?.[0] ?? 0;
    return {
      value: document.toJS({ maxAliasCount: 100 }),
      line: lineCounter.linePos(start).line,
    };
  });
}

const TOP_LEVEL_KEY = /^[A-Za-z_"'][^:]*:/;

/**
 * Plain YAML read the fast way: js-yaml builds no syntax tree and reads a large dump several
 * times faster than `yaml`, but keeps no positions. YAML 1.2 core types as `yaml` reads them;
 * a repeated key keeps its last value. Throws on anything else (aliases across items too).
 */
function loadPlain(text: string): unknown {
  return loadYaml(text, { schema: CORE_SCHEMA, json: true });
}

/**
 * A `kubectl get -o json` dump read as JSON, or a `kubectl get -o yaml` dump read item by
 * item: one document whose `items:` sequence holds every object. Each item is read on its
 * own, without a syntax tree, and gets its own line. Undefined when the text is not such a
 * dump or an item does not read on its own: the whole text is then read with positions,
 * which reports errors where they are.
 */
function readListDump(text: string): ParsedDocument | undefined {
  if (/^\s*\{/.test(text)) {
    // `kubectl get -o json`: JSON is YAML, but read as JSON it needs no syntax tree.
    try {
      return { value: JSON.parse(text), line: 1 };
    } catch {
      return undefined;
    }
  }
  if (
    !/^kind: *["']?\w*List["']? *\r?$/m.test(text) ||
    /^(---|\.\.\.)/m.test(text)
  ) {
    return undefined;
  }
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex(l => /^items: *$/.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !TOP_LEVEL_KEY.test(lines[end])) end++;
  let from = start + 1;
  while (from < end && lines[from].trim() === '') from++;
  const indent = lines[from]?.match(/^( *)- /)?.[1].length;
  if (from >= end || indent === undefined) return undefined;
  const itemStart = new RegExp(`^ {${indent}}- `);
  const items: unknown[] = [];
  const itemLines: number[] = [];
  try {
    while (from < end) {
      let to = from + 1;
      while (to < end && !itemStart.test(lines[to])) to++;
      // The item's lines as a document of their own: `- ` and its indentation become spaces.
      const item = lines
        .slice(from, to)
        .map(l => l.slice(indent))
        .join('\n')
        .replace(/^- /, '  ');
      items.push(loadPlain(item));
      itemLines.push(from + 1);
      from = to;
    }
    const value = loadPlain(
      [...lines.slice(0, start), 'items: []', ...lines.slice(end)].join('\n'),
    );
    if (!isObject(value) || !Array.isArray(value.items)) return undefined;
    return { value: { ...value, items }, line: 1, itemLines };
  } catch {
    return undefined;
  }
}

/**
 * Parses one file of Kubernetes YAML or JSON as kubectl reads it: multi-document GitOps
 * files, `kubectl get -o yaml` List dumps, a byte-order mark, CRLF line ends, go-yaml's
 * looser flow indentation. Returns the objects with the line each starts on. A document that
 * is not a Kubernetes object is passed to `onSkip` with its line; invalid YAML throws.
 */
export function parseManifests(
  text: string,
  file: string,
  onSkip: (skipped: SkippedDocument) => void = () => {},
): Array<{ object: KubeObject; line: number }> {
  const plain = text.replace(/^\uFEFF/, '');
  const documents = [readListDump(plain) ?? readDocuments(plain, file)].flat();
  const found: Array<{ object: KubeObject; line: number }> = [];

  for (const { value, line: documentLine, itemLines } of documents) {
    if (value === null || value === undefined) continue;
    const reason = notAnObject(value);
    if (reason) {
      onSkip({ file, line: documentLine, reason });
      continue;
    }
    const items: unknown[] = isList(value) ? value.items : [value];
    // Items of a typed list (`ServiceList`) may leave out the kind and version they share.
    const itemKind = isList(value)
      ? String(value.kind).replace(/List$/, '')
      : '';
    for (const [index, item] of items.entries()) {
      const line = itemLines?.[index] ?? documentLine;
      if (isObject(item) && itemKind && item.kind === undefined) {
        item.kind = itemKind;
        item.apiVersion ??= value.apiVersion;
      }
      if (isObject(item) && item.kind === 'IstioOperator') {
        item.metadata = isObject(item.metadata) ? item.metadata : {};
        item.metadata.name ||= istioOperatorName(item);
        // Istio's default profile sets it: components install there unless told otherwise.
        item.metadata.namespace ||= 'istio-system';
      }
      if (
        !isObject(item) ||
        typeof item.kind !== 'string' ||
        !isObject(item.metadata) ||
        !item.metadata.name
      ) {
        // As kubectl apply refuses it ("resource name may not be empty"); the rest of the
        // file is still read.
        onSkip({
          file,
          line,
          reason: `an object without kind or metadata.name${
            isObject(item) && item.kind ? ` (kind ${item.kind})` : ''
          }`,
        });
        continue;
      }
      found.push({ object: item as KubeObject, line });
    }
  }
  return found;
}
