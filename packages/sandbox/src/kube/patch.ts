import { kubeErrors } from './status';

type Json = any;

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) {
    return patch;
  }
  const result: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

/**
 * Strategic merge patch, approximated as a merge patch: kubectl's directives
 * (`$setElementOrder/...`, `$retainKeys`, `$patch`) are dropped so they never land in objects.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  return mergePatch(target, withoutDirectives(patch));
}

function withoutDirectives(value: Json): Json {
  if (Array.isArray(value)) {
    return value.map(withoutDirectives);
  }
  if (!isObject(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, v]) => [key, withoutDirectives(v)]),
  );
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) {
    throw kubeErrors.badRequest('json patch must be an array of operations');
  }
  let document = structuredClone(target);
  for (const operation of operations) {
    const { op, value } = operation ?? {};
    const path = pointer(operation?.path);
    switch (op) {
      case 'add':
        document = setAt(document, path, structuredClone(value), 'add');
        break;
      case 'replace':
        getAt(document, path);
        document = setAt(document, path, structuredClone(value), 'replace');
        break;
      case 'remove':
        document = removeAt(document, path);
        break;
      case 'move': {
        const from = pointer(operation.from);
        const moved = getAt(document, from);
        document = setAt(removeAt(document, from), path, moved, 'add');
        break;
      }
      case 'copy':
        document = setAt(
          document,
          path,
          structuredClone(getAt(document, pointer(operation.from))),
          'add',
        );
        break;
      case 'test':
        if (JSON.stringify(getAt(document, path)) !== JSON.stringify(value)) {
          throw kubeErrors.unprocessable(
            `testing value /${path.join('/')} failed`,
          );
        }
        break;
      default:
        throw kubeErrors.badRequest(
          `json patch operation "${op}" is not supported`,
        );
    }
  }
  return document;
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw kubeErrors.badRequest(
      `json patch path ${JSON.stringify(
        path,
      )} must be a JSON pointer like "/spec/replicas"`,
    );
  }
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(document: Json, path: string[]): Json {
  let node = document;
  for (const token of path) {
    if (node === null || typeof node !== 'object' || !(token in node)) {
      throw kubeErrors.unprocessable(`path /${path.join('/')} does not exist`);
    }
    node = node[token];
  }
  return node;
}

function setAt(
  document: Json,
  path: string[],
  value: Json,
  mode: 'add' | 'replace',
): Json {
  if (path.length === 0) {
    return value;
  }
  const parent = getAt(document, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw kubeErrors.unprocessable(
        `index ${key} is out of range in /${path.join('/')}`,
      );
    }
    parent.splice(index, mode === 'add' ? 0 : 1, value);
  } else if (parent !== null && typeof parent === 'object') {
    parent[key] = value;
  } else {
    throw kubeErrors.unprocessable(
      `/${path.slice(0, -1).join('/')} is not an object or array`,
    );
  }
  return document;
}

function removeAt(document: Json, path: string[]): Json {
  getAt(document, path);
  const parent = getAt(document, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(Number(key), 1);
  } else {
    delete parent[key];
  }
  return document;
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
