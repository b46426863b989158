import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Clock ticks per second, the unit of /proc/<pid>/stat's times (100 on Linux almost everywhere).
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system, milliseconds) process `pid` has used so far, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/**
 * CPU time (ms) used so far by the processes named `command` (their /proc comm: `postgres`, `java` for
 * the broker): the running ones, and those that exited and were reaped by the first of them (PostgreSQL's
 * postmaster reaps each backend that ends, and the kernel adds its time to the postmaster's).
 */
export function cpuMsOfCommand(command: string): number {
  const named = statsOfCommand(command);
  let ticks = 0;
  for (const fields of named.values()) {
    // utime and stime; cutime and cstime (reaped children) only where the parent is not one of them.
    ticks += Number(fields[11]) + Number(fields[12]);
    if (!named.has(Number(fields[1]))) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / TICKS;
}

/** The processes named `command` (their /proc comm), running now. */
export function pidsOfCommand(command: string): number[] {
  return [...statsOfCommand(command).keys()];
}

/** Each process named `command`, with the fields of its /proc/<pid>/stat after the name. */
function statsOfCommand(command: string): Map<number, string[]> {
  const named = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command)
        named.set(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      // It exited between the listing and the read.
    }
  }
  return named;
}
