import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { LoggerService } from '@backstage/backend-plugin-api';

export interface WorkspaceFile {
  /** Relative to the task workspace. */
  path: string;
  content: string;
}

/**
 * Writes files into the task workspace (for a pull request step after this one). A file
 * that already holds the same content is left alone.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  files: WorkspaceFile[],
  logger: LoggerService,
): Promise<
  Array<{ path: string; status: 'created' | 'updated' | 'unchanged' }>
> {
  const results = [];
  for (const file of files) {
    const target = resolveSafeChildPath(workspacePath, file.path);
    const current = await fs.readFile(target, 'utf8').catch(() => undefined);
    let status: 'created' | 'updated' | 'unchanged' = 'updated';
    if (current === undefined) {
      status = 'created';
    } else if (current === file.content) {
      status = 'unchanged';
    }
    if (status !== 'unchanged') {
      await fs.mkdir(dirname(target), { recursive: true });
      await fs.writeFile(target, file.content, 'utf8');
    }
    logger.info(`${status[0].toUpperCase()}${status.slice(1)} ${file.path}`);
    results.push({ path: file.path, status } as const);
  }
  return results;
}
