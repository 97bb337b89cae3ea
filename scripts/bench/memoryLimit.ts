/*
 * A memory limit for a benchmarked backend, as a container's: a memory cgroup of its own under
 * the one this process runs in. Node sizes its V8 heaps from the limit it finds there (as in a
 * pod with `resources.limits.memory`), instead of from the machine's memory, and the kernel
 * holds the process to it: a backend that needs more is killed, which ends the run.
 */
import fs from 'node:fs';
import path from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

export interface MemoryCgroup {
  limitMiB: number;
  /** Where a process writes its pid to enter the cgroup. */
  procsFile: string;
  /** How often the processes reached the limit (the kernel then reclaimed their pages). */
  limitReached(): number;
  /** How many of its processes the kernel killed for want of memory under the limit. */
  oomKills(): number;
  /** Removes the cgroup; its processes must have exited. */
  remove(): void;
}

/** The directory of this process's memory cgroup, and whether it is cgroup v1's hierarchy. */
function ownMemoryCgroup(): { dir: string; v1: boolean } {
  const lines = fs.readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  for (const line of lines) {
    const [, controllers, cgroupPath] = line.split(':');
    if (controllers.split(',').includes('memory')) {
      return { dir: path.join(CGROUP_ROOT, 'memory', cgroupPath), v1: true };
    }
  }
  const unified = lines.find(line => line.startsWith('0::'));
  if (unified) {
    return { dir: path.join(CGROUP_ROOT, unified.slice(3)), v1: false };
  }
  throw new Error('No memory cgroup in /proc/self/cgroup');
}

/**
 * Creates a memory cgroup named `name` limited to `limitMiB`. Needs a writable cgroup
 * hierarchy (root in a container, or a delegated cgroup v2 subtree with the memory controller
 * enabled for children); says so when there is none.
 */
export function createMemoryCgroup(
  name: string,
  limitMiB: number,
): MemoryCgroup {
  const own = ownMemoryCgroup();
  const dir = path.join(own.dir, name);
  const limitFile = own.v1 ? 'memory.limit_in_bytes' : 'memory.max';
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, limitFile), String(limitMiB * 1024 ** 2));
  } catch (error) {
    throw new Error(
      `--memory-limit needs a writable memory cgroup; creating ${dir} failed: ${
        (error as Error).message
      }`,
    );
  }
  return {
    limitMiB,
    procsFile: path.join(dir, 'cgroup.procs'),
    limitReached: () => {
      if (own.v1) {
        return Number(
          fs.readFileSync(path.join(dir, 'memory.failcnt'), 'utf8'),
        );
      }
      const events = fs.readFileSync(path.join(dir, 'memory.events'), 'utf8');
      return Number(/^max (\d+)/m.exec(events)?.[1] ?? 0);
    },
    oomKills: () => {
      const counts = fs.readFileSync(
        path.join(dir, own.v1 ? 'memory.oom_control' : 'memory.events'),
        'utf8',
      );
      return Number(/^oom_kill (\d+)/m.exec(counts)?.[1] ?? 0);
    },
    remove: () => fs.rmdirSync(dir),
  };
}

/**
 * The command that runs `command` with `args` inside `cgroup`: a shell that enters it and then
 * becomes the command, so that the command starts (and reads its limit) inside, with the pid the
 * caller spawned.
 */
export function inCgroup(
  cgroup: MemoryCgroup,
  command: string,
  args: string[],
): { command: string; args: string[] } {
  return {
    command: '/bin/sh',
    args: [
      '-c',
      'echo $$ > "$1" && shift && exec "$@"',
      'sh',
      cgroup.procsFile,
      command,
      ...args,
    ],
  };
}
