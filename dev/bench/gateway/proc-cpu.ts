import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

// Clock ticks per second, the unit of /proc/<pid>/stat's times (100 on Linux almost everywhere).
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/**
 * The fields of /proc/<pid>/stat after the command name (field 2, in parentheses, may hold spaces), so
 * field N of the whole line is at N - 3: ppid at 1, utime and stime at 11 and 12, the reaped children's
 * cutime and cstime at 13 and 14.
 */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system, milliseconds) process `pid` has used so far, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/**
 * How long (ms) the main thread of process `pid` has so far been ready to run but waiting for a core
 * (the second field of /proc/<pid>/task/<pid>/schedstat, in ns): the part of a request's time that is
 * the machine's contention, not the process's own work.
 */
export function runQueueWaitMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ');
  return Number(fields[1]) / 1e6;
}

/**
 * CPU time (ms) used so far by process `pid` and its children, running or exited: PostgreSQL's
 * postmaster and its backends (the kernel adds a reaped child's time to its parent's), or a broker's JVM.
 */
export function cpuMsOfTree(pid: number): number {
  const root = statFields(pid);
  let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // It exited between the listing and the read (its time is now its parent's).
    }
  }
  return (ticks * 1000) / TICKS;
}

/**
 * Runs every thread of process `pid` at `nice` (Linux keeps a nice value per thread, and
 * `setPriority(pid)` changes only the main one). Returns what puts each thread back as it was; a thread
 * started meanwhile gets the main thread's old value.
 */
export function reniceThreads(pid: number, nice: number): () => void {
  const threads = () => readdirSync(`/proc/${pid}/task`).map(Number);
  const before = new Map(threads().map((tid) => [tid, getPriority(tid)]));
  for (const tid of before.keys()) setPriority(tid, nice);
  const main = before.get(pid) ?? 0;
  return () => {
    let now: number[] = [];
    try {
      now = threads();
    } catch {
      return; // the process has exited
    }
    for (const tid of now) {
      try {
        setPriority(tid, before.get(tid) ?? main);
      } catch {
        // The thread ended meanwhile.
      }
    }
  };
}
