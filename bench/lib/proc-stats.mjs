// CPU time and memory of processes, read from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process is gone
  }
};

/** [utime, stime, cutime, cstime] in seconds; null when the process is gone. */
function cpuTimes(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).map((ticks) => Number(ticks) / TICKS_PER_SECOND);
}

/** CPU seconds (user + system, every thread) the process has used so far. */
export function cpuSeconds(pid) {
  const times = cpuTimes(pid);
  return times ? times[0] + times[1] : null;
}

/**
 * CPU seconds of this process's children that have exited and been reaped: a load generator
 * that ran between two readings, counted exactly, including its last moments.
 */
export const reapedChildrenCpuSeconds = () => {
  const [, , cutime, cstime] = cpuTimes(process.pid);
  return cutime + cstime;
};

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM); null when the process is gone. */
export function statusMb(pid, field = 'VmRSS') {
  const status = read(`/proc/${pid}/status`);
  const kb = status && new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
  return kb ? Number(kb[1]) / 1024 : null;
}

/** CPU seconds all cores have been busy (not idle, not waiting for I/O) since boot. */
function machineBusySeconds() {
  const [, ...ticks] = read('/proc/stat').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks; // skips idle and iowait
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** Pids whose command name (/proc/<pid>/comm) is `name`, e.g. postgres, beam.smp. */
export function pidsNamed(name) {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => read(`/proc/${pid}/comm`)?.trim() === name)
    .map(Number);
}

/**
 * Reads CPU seconds of every watched process now; end() reads them again and returns each
 * one's share of one core over the wall time between (100 = one core busy).
 * `watched` maps a label to one pid or a function returning the pids (looked up at each reading,
 * so server backends that appear meanwhile count from zero; ones that exit meanwhile are lost).
 */
export function cpuWindow(watched) {
  const sample = () => {
    const totals = {};
    for (const [label, pids] of Object.entries(watched)) {
      totals[label] = {};
      for (const pid of typeof pids === 'function' ? pids() : [pids]) totals[label][pid] = cpuSeconds(pid);
    }
    return totals;
  };
  const started = performance.now();
  const before = sample();
  const generatorBefore = reapedChildrenCpuSeconds();
  const selfBefore = cpuSeconds(process.pid);
  const machineBefore = machineBusySeconds();
  return {
    end() {
      const wall = (performance.now() - started) / 1000;
      const after = sample();
      const share = (seconds) => Math.round((seconds / wall) * 1000) / 10;
      const shares = {};
      for (const [label, pids] of Object.entries(after)) {
        let seconds = 0;
        for (const [pid, now] of Object.entries(pids)) {
          if (now !== null) seconds += now - (before[label]?.[pid] ?? 0);
        }
        shares[label] = share(seconds);
      }
      shares['load generator'] = share(reapedChildrenCpuSeconds() - generatorBefore);
      shares.runner = share(cpuSeconds(process.pid) - selfBefore);
      // On a shared machine, what else ran meanwhile explains a slow run.
      const machine = share(machineBusySeconds() - machineBefore);
      const ours = Object.values(shares).reduce((a, b) => a + b, 0);
      shares['other processes'] = Math.max(0, Math.round((machine - ours) * 10) / 10);
      return { wallSeconds: Math.round(wall * 100) / 100, shares };
    },
  };
}

/** Samples the RSS of each pid every intervalMs; stop() gives each one's peak and their summed peak. */
export function rssSampler(pids, intervalMs = 250) {
  const peaks = {};
  let totalPeak = 0;
  const sample = () => {
    let total = 0;
    for (const [label, pid] of Object.entries(pids)) {
      const mb = statusMb(pid) ?? 0;
      peaks[label] = Math.max(peaks[label] ?? 0, mb);
      total += mb;
    }
    totalPeak = Math.max(totalPeak, total);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peaks, totalPeak };
    },
  };
}

/** RSS in MB of each labelled pid, and their total. */
export function rssNow(pids) {
  const each = Object.fromEntries(Object.entries(pids).map(([label, pid]) => [label, statusMb(pid) ?? 0]));
  return { each, total: Object.values(each).reduce((a, b) => a + b, 0) };
}
