// Bench harness (@toro/bench), pure parsing of Linux /proc/<pid>/stat: the CPU time a process
// (all its threads) used. proc(5): utime and stime are fields 14 and 15, in clock ticks. No imports.

/** utime + stime in clock ticks from the text of /proc/<pid>/stat. */
export function cpuTicksFromStat(stat: string): number {
  // comm (field 2) is in parentheses and may itself hold spaces or ')': split after the last ')'.
  const close = stat.lastIndexOf(")");
  if (close < 0) throw new Error("proc stat: no command field");
  const rest = stat.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error("proc stat: bad utime/stime");
  return utime + stime;
}
