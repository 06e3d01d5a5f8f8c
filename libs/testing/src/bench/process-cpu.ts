/**
 * CPU time spent by this process and by a PostgreSQL server on this machine,
 * read from /proc (Linux). On a busy machine wall-clock figures move with
 * whatever else runs; CPU-seconds per unit of work do not, so benchmarks
 * print both.
 */
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, in ticks. */
  readonly own: number;
  /** cutime + cstime: children already exited and reaped, in ticks. */
  readonly reaped: number;
}

async function procStat(pid: number): Promise<ProcStat | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17.
    const [ppid, utime, stime, cutime, cstime] = [fields[1], fields[11], fields[12], fields[13], fields[14]].map(Number) as [number, number, number, number, number];
    return { ppid, own: utime + stime, reaped: cutime + cstime };
  } catch {
    return null;
  }
}

/** The postmaster of the server at `url`: the parent of a backend; null when it is not on this machine (or not Linux). */
export async function findPostmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backend = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    return (await procStat(backend))?.ppid ?? null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** CPU-seconds used so far by the postmaster and every backend and helper process it started (live or exited). */
export async function serverCpuSeconds(postmasterPid: number): Promise<number | null> {
  const postmaster = await procStat(postmasterPid);
  if (postmaster === null) return null;
  let ticks = postmaster.own + postmaster.reaped;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = await procStat(Number(entry));
    if (child !== null && child.ppid === postmasterPid) ticks += child.own + child.reaped;
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU-seconds used so far by this process, every thread included. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
