// The --rate load generator: POSTs sent at an even pace (one every 1000/rate ms), each on its
// own, whatever the answers before it. autocannon's overallRate sends each second's quota in a
// burst at the start of the second, so the saga behind it sees batches of `rate` orders at once,
// not a steady stream. Same input and BENCH_RESULT line as autocannon-child.mjs.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const spec = JSON.parse(process.argv[2]);
const tokens = readFileSync(spec.post.tokensFile, 'utf8').split('\n').filter(Boolean);
const url = new URL(spec.url);
const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
const latenciesUs = [];
const counts = { non2xx: 0, errors: 0, timeouts: 0 };

function post(index) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        timeout: 10_000,
        headers: {
          ...spec.headers,
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[index % tokens.length]}`,
          'idempotency-key': `${spec.keyPrefix}-${index}`,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          latenciesUs.push(Number(process.hrtime.bigint() - started) / 1000);
          if (response.statusCode < 200 || response.statusCode >= 300) counts.non2xx += 1;
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { timedOut: true })));
    req.on('error', (error) => {
      if (error.timedOut) counts.timeouts += 1;
      else counts.errors += 1;
      resolve();
    });
    req.end(spec.post.body);
  });
}

const intervalMs = 1000 / spec.rate;
const total = Math.round(spec.rate * spec.seconds);
const began = performance.now();
const sent = [];
for (let i = 0; i < total; i += 1) {
  // Against the schedule, not the last send: a late timer does not slow the pace down.
  const wait = began + i * intervalMs - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  sent.push(post(i));
}
await Promise.all(sent);
const durationUs = Math.round((performance.now() - began) * 1000);
agent.destroy();

const sorted = latenciesUs.sort((a, b) => a - b);
const at = (p) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
console.log(
  `BENCH_RESULT ${JSON.stringify({
    requests: total,
    durationUs,
    p50Us: at(0.5),
    p90Us: at(0.9),
    p99Us: at(0.99),
    maxUs: Math.round(sorted.at(-1) ?? 0),
    ...counts,
  })}`,
);
