/**
 * CPU seconds spent by this process and by the local PostgreSQL server's processes (read from
 * /proc; zero where there is none, as on the embedded database, whose time is this process's).
 * Tells whether a benchmark waits on Node.js or on the database.
 */
import fs from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

function postgresSeconds(): number {
  if (!fs.existsSync('/proc')) return 0;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended while being read
    }
  }
  return ticks / TICKS;
}

/** Starts counting; `stop()` gives the seconds of each side since. Backends that exit in between are lost, so the server figure is a lower bound. */
export function cpuMeter() {
  const node = process.cpuUsage();
  const server = postgresSeconds();
  return {
    stop() {
      const n = process.cpuUsage(node);
      return { nodeCpuSeconds: Math.round((n.user + n.system) / 1e5) / 10, serverCpuSeconds: Math.round((postgresSeconds() - server) * 10) / 10 };
    },
  };
}
