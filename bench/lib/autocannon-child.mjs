// autocannon in its own process (the fallback when wrk is missing), so its CPU is counted apart
// from the runner's. Takes load.mjs's spec as JSON in argv[2]; prints the BENCH_RESULT line wrk's
// report.lua prints.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const tokens = spec.post ? readFileSync(spec.post.tokensFile, 'utf8').split('\n').filter(Boolean) : [];
let clients = 0;
let sent = 0;

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  timeout: 10,
  method: spec.post ? 'POST' : 'GET',
  headers: { ...spec.headers, ...(spec.post && { 'content-type': 'application/json' }) },
  body: spec.post?.body,
  // One token per connection, as wrk's threads each hold their share.
  setupClient(client) {
    const token = tokens[clients++ % Math.max(tokens.length, 1)];
    if (!spec.post && !spec.paths) return;
    client.setRequests([
      {
        setupRequest(request) {
          sent += 1;
          const headers = { ...request.headers };
          if (spec.post) {
            headers.authorization = `Bearer ${token}`;
            headers['idempotency-key'] = `${spec.keyPrefix}-${sent}`;
          }
          const path = spec.paths ? spec.paths[sent % spec.paths.length] : request.path;
          return { ...request, path, headers };
        },
      },
    ]);
  },
});

const us = (ms) => Math.round(ms * 1000);
const figures = {
  requests: result.requests.total,
  durationUs: Math.round(result.duration * 1e6),
  p50Us: us(result.latency.p50),
  p90Us: us(result.latency.p90),
  p99Us: us(result.latency.p99),
  maxUs: us(result.latency.max),
  non2xx: result.non2xx,
  errors: result.errors - result.timeouts,
  timeouts: result.timeouts,
};
console.log(`BENCH_RESULT ${JSON.stringify(figures)}`);
