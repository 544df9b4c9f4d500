// The load generator: wrk when it is on PATH (much less CPU per request than autocannon, which
// matters on 2 cores), else autocannon in a child process. Either way one child process, so its
// CPU is counted, and the same figures back.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, appendFileSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WRK_DIR = fileURLToPath(new URL('../wrk', import.meta.url));
const AUTOCANNON_CHILD = fileURLToPath(new URL('./autocannon-child.mjs', import.meta.url));
const PACED_CHILD = fileURLToPath(new URL('./paced-child.mjs', import.meta.url));

const generators = new Set();

/** Kills the load generators still running (the run was interrupted). */
export const stopLoad = () => generators.forEach((child) => child.kill('SIGKILL'));

const onPath = (command) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

export const chooseLoadTool = (wanted) => {
  if (wanted === 'autocannon' || (wanted === 'auto' && !onPath('wrk'))) return 'autocannon';
  if (!onPath('wrk')) throw new Error('--load wrk: wrk is not on PATH (apt-get install -y wrk)');
  return 'wrk';
};

/**
 * Loads `url` for `seconds` with `connections` and returns req/s, latency percentiles (ms) and
 * failures. GET unless `post` ({ tokensFile, body }): then POST with a token per connection and
 * a fresh Idempotency-Key per request. `headers` are sent as they are; `paths` alternates GETs.
 */
export function runLoad(spec, { tool: chosen, logFile }) {
  const tool = spec.rate ? `paced ${spec.rate}/s` : chosen;
  const keyPrefix = randomUUID().slice(0, 8);
  const [command, args, env] = spec.rate
    ? [process.execPath, [PACED_CHILD, JSON.stringify({ ...spec, keyPrefix })], {}]
    : tool === 'wrk'
      ? wrkCommand(spec, keyPrefix)
      : [process.execPath, [AUTOCANNON_CHILD, JSON.stringify({ ...spec, keyPrefix })], {}];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    generators.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // wrk and autocannon stop by themselves; this is for a generator that hangs.
    const timer = setTimeout(() => child.kill('SIGKILL'), (spec.seconds + 60) * 1000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      generators.delete(child);
      appendFileSync(logFile, `--- ${tool} ${args.join(' ')}\n${output}\n`);
      const line = /^BENCH_RESULT (.*)$/m.exec(output);
      if (code !== 0 || !line) return reject(new Error(`${tool} failed (exit ${code}); see ${logFile}`));
      const raw = JSON.parse(line[1]);
      const seconds = raw.durationUs / 1e6;
      const ms = (us) => Math.round(us / 10) / 100;
      resolve({
        tool,
        requests: raw.requests,
        seconds: Math.round(seconds * 100) / 100,
        rps: Math.round(raw.requests / seconds),
        p50: ms(raw.p50Us),
        p90: ms(raw.p90Us),
        p99: ms(raw.p99Us),
        max: ms(raw.maxUs),
        non2xx: raw.non2xx,
        errors: raw.errors,
        timeouts: raw.timeouts,
      });
    });
  });
}

function wrkCommand(spec, keyPrefix) {
  const threads = Math.min(spec.threads ?? 1, spec.connections);
  const args = [`-t${threads}`, `-c${spec.connections}`, `-d${spec.seconds}s`, '--timeout', '10s'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push('-s', join(WRK_DIR, spec.post ? 'post-orders.lua' : 'get.lua'), spec.url);
  const env = { BENCH_WRK_DIR: WRK_DIR, BENCH_THREADS: String(threads), BENCH_KEY_PREFIX: keyPrefix };
  if (spec.post) Object.assign(env, { BENCH_TOKENS_FILE: spec.post.tokensFile, BENCH_BODY: spec.post.body });
  if (spec.paths) env.BENCH_PATHS = spec.paths.join(',');
  return ['wrk', args, env];
}
