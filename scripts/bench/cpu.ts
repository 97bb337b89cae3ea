import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/**
 * Where the machine's CPU went over a stretch of the benchmark, from /proc (Linux): the
 * benchmark's own process (its load client unless wrk is), wrk when it is the load client,
 * the sandbox, the backend's request thread and its other threads (workers, the thread pool,
 * V8's collector), and the machine as a whole. Every figure is a
 * percentage of one core; the machine's busy share is out of `cores` × 100.
 */
export interface CpuShares {
  wallMs: number;
  cores: number;
  machineBusy: number;
  client: number;
  wrk?: number;
  sandbox: number;
  backendRequestThread: number;
  backendOtherThreads: number;
}

/** Clock ticks per second of /proc's CPU times: 100 on Linux for x86 and ARM. */
const TICKS_PER_SECOND = 100;

interface CpuReading {
  at: number;
  machine?: { busy: number; total: number };
  client: number;
  wrk?: number;
  sandbox?: number;
  backend?: number;
  backendMain?: number;
}

/** User plus system time of a process (all its threads, also ended ones) or of one thread, ms. */
function ticksMs(statFile: string): number | undefined {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime] = [Number(fields[11]), Number(fields[12])];
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // user nice system idle iowait irq softirq steal (guest and guest_nice are counted in
    // user and nice already).
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((sum, v) => sum + v, 0);
    // Idle, waiting for I/O, or taken by the hypervisor for other machines.
    const notBusy = values[3] + values[4] + (values[7] ?? 0);
    return { busy: total - notBusy, total };
  } catch {
    return undefined;
  }
}

type Pids = { sandbox: number; backend: number; wrk?: number };

function read(pids: Pids): CpuReading {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    machine: machineTicks(),
    client: (usage.user + usage.system) / 1000,
    wrk: pids.wrk === undefined ? undefined : ticksMs(`/proc/${pids.wrk}/stat`),
    sandbox: ticksMs(`/proc/${pids.sandbox}/stat`),
    backend: ticksMs(`/proc/${pids.backend}/stat`),
    backendMain: ticksMs(`/proc/${pids.backend}/task/${pids.backend}/stat`),
  };
}

/** Starts timing; `stop()` gives the shares since, or undefined where /proc is not there. */
export function cpuShares(pids: Pids) {
  const before = read(pids);
  return {
    stop(): CpuShares | undefined {
      const after = read(pids);
      const wallMs = after.at - before.at;
      const share = (a?: number, b?: number) =>
        a === undefined || b === undefined
          ? NaN
          : Math.round(((b - a) / wallMs) * 1000) / 10;
      if (!before.machine || !after.machine || before.backend === undefined) {
        return undefined;
      }
      const cores = os.cpus().length;
      const machineBusy =
        Math.round(
          ((after.machine.busy - before.machine.busy) /
            (after.machine.total - before.machine.total)) *
            cores *
            1000,
        ) / 10;
      const backend = share(before.backend, after.backend);
      const backendRequestThread = share(before.backendMain, after.backendMain);
      return {
        wallMs: Math.round(wallMs),
        cores,
        machineBusy,
        client: share(before.client, after.client),
        ...(pids.wrk !== undefined && { wrk: share(before.wrk, after.wrk) }),
        sandbox: share(before.sandbox, after.sandbox),
        backendRequestThread,
        backendOtherThreads:
          Math.round((backend - backendRequestThread) * 10) / 10,
      };
    },
  };
}

export function cpuSharesText(cpu: CpuShares): string {
  const client =
    cpu.wrk === undefined
      ? `benchmark client ${cpu.client}%`
      : `wrk ${cpu.wrk}%, benchmark process ${cpu.client}%`;
  return `${client}, sandbox ${cpu.sandbox}%, backend request thread ${
    cpu.backendRequestThread
  }%, its other threads ${
    cpu.backendOtherThreads
  }% (of one core); the machine busy ${cpu.machineBusy}% of ${
    cpu.cores * 100
  }%`;
}

/**
 * How long this process takes for a fixed piece of work (a chain of 100,000 SHA-256 digests of
 * a KiB, and 500,000 small objects written as JSON), ms. The same code answers at other rates
 * on a machine that gives it less of a core (shared hosts do, from hour to hour): this tells
 * runs made at different times apart.
 */
export function cpuReferenceMs(): number {
  const started = performance.now();
  const block = Buffer.alloc(1024);
  let digest = Buffer.alloc(32);
  for (let i = 0; i < 100_000; i++) {
    digest = crypto.createHash('sha256').update(digest).update(block).digest();
  }
  const items = Array.from({ length: 500_000 }, (_, i) => ({
    i,
    name: `item-${i}`,
  }));
  JSON.stringify(items);
  return Math.round(performance.now() - started);
}
