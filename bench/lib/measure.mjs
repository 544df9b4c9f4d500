// One measured run: a warm-up (not counted), then the load while every process's CPU and each
// app's RSS are watched; for writes, the saga figures once the backlog has drained.
import { join } from 'node:path';
import { runLoad } from './load.mjs';
import { cpuWindow, pidsNamed, rssNow, rssSampler } from './proc-stats.mjs';
import { drainSeconds, pendingOrders, sagaFigures } from './saga.mjs';

/**
 * `processes` maps a label to a spawned entry (the apps or a baseline's processes); `ordersDb`
 * names the orders database for writes. Returns every figure of the run.
 */
export async function measure(run, { key, label, group, spec, processes, ordersDb, idleRss, ref }) {
  const { options } = run;
  const logFile = join(run.logDir, 'load-generator.log');
  const pids = Object.fromEntries(Object.entries(processes).map(([name, entry]) => [name, entry.pid]));
  console.log(
    `\n▸ ${label}: ${options.connections} connections, ${options.seconds} s after ${options.warmup} s of warm-up`,
  );

  if (options.warmup > 0) {
    await runLoad({ ...spec, seconds: options.warmup }, { tool: run.tool, logFile });
    // Orders of the warm-up would otherwise count in the backlog and the confirmations.
    if (ordersDb) await drainSeconds(ordersDb, options.drainTimeout);
  }

  const before = rssNow(pids);
  const cpu = cpuWindow({ ...pids, postgres: () => pidsNamed('postgres'), rabbitmq: () => pidsNamed('beam.smp') });
  const sampler = rssSampler(pids);
  const from = new Date();
  const load = await runLoad({ ...spec, seconds: options.seconds }, { tool: run.tool, logFile });
  const to = new Date();
  const { wallSeconds, shares } = cpu.end();
  const { peaks, totalPeak } = sampler.stop();
  const after = rssNow(pids);

  let saga = null;
  if (ordersDb) {
    const backlog = await pendingOrders(ordersDb);
    const drain = await drainSeconds(ordersDb, options.drainTimeout);
    saga = { backlog, drainSeconds: drain, ...(await sagaFigures(ordersDb, from, to)) };
  }

  const appCpu = Object.keys(pids).reduce((sum, name) => sum + shares[name], 0);
  return {
    key,
    label,
    group,
    ref,
    kind: key.startsWith('baseline') ? 'baseline' : 'system',
    window: { from: from.toISOString(), to: to.toISOString(), wallSeconds },
    load,
    cpu: {
      shares,
      apps: Math.round(appCpu * 10) / 10,
      // CPU time of the measured processes per request: steadier than req/s on a busy machine.
      appMsPerRequest: load.requests
        ? Math.round(((appCpu / 100) * wallSeconds * 1000 * 1000) / load.requests) / 1000
        : null,
    },
    rss: {
      idle: idleRss ?? before,
      before,
      peak: { each: peaks, total: totalPeak },
      after,
    },
    saga,
  };
}
