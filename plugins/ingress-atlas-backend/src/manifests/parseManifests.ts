import { LineCounter, parseAllDocuments } from 'yaml';
import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';

/** Bad input in a manifest file, with where it is. */
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

/** The parser's message without the position it appends (the error carries it already). */
export function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one file of Kubernetes YAML or JSON: multi-document GitOps files and
 * `kubectl get -o yaml` List dumps alike. Returns the objects with the line each starts on.
 */
export function parseManifests(
  text: string,
  file: string,
): Array<{ object: KubeObject; line: number }> {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const documentList = Array.isArray(documents) ? documents : [documents];
  const found: Array<{ object: KubeObject; line: number }> = [];

  for (const document of documentList) {
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
    const line = lineCounter.linePos(start).line;
    const value = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      throw new ManifestError(
        file,
        line,
        'expected a Kubernetes object (a mapping)',
      );
    }
    const items =
      Array.isArray(value.items) && /List$/.test(String(value.kind ?? ''))
        ? value.items
        : [value];
    for (const item of items) {
      if (
        !isObject(item) ||
        typeof item.kind !== 'string' ||
        !isObject(item.metadata) ||
        !item.metadata.name
      ) {
        throw new ManifestError(
          file,
          line,
          `an object without kind or metadata.name${
            isObject(item) && item.kind ? ` (kind ${item.kind})` : ''
          }`,
        );
      }
      found.push({ object: item as KubeObject, line });
    }
  }
  return found;
}
