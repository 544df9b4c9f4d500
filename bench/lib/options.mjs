// Command-line options of `npm run bench`.

export const HELP = `npm run bench -- [options]

Runs hand-written baselines and the system back to back, on this machine's PostgreSQL
(127.0.0.1:5432) and RabbitMQ (127.0.0.1:5672), and prints every figure as a ratio to its
baseline: on a shared machine whose speed varies from day to day, the ratios are what compare.

  reads:  read baseline (node:http → RabbitMQ RPC, or gRPC → pg primary-key SELECT), then
          GET /api/v1/users/me and GET /api/v1/orders/:id on the system
  writes: write baseline (one transaction with outbox, relay with confirms, consumer with inbox), then
          POST /api/v1/orders spread over as many users as connections, then by ONE account

Options:
  --shape services|monolith  gateway + users + orders (default), or the modular monolith;
                             a bare "monolith" or "services" argument works too
  --rpc amqp|grpc            how the gateway calls the services (RPC_TRANSPORT; default amqp)
  grpc                       the reads only, over RabbitMQ RPC and then over gRPC in the same run
                             (the services shape, restarted in between on the same databases),
                             each a ratio to a hand-written baseline over the same transport,
                             then gRPC over RabbitMQ; --rounds N: N pairs (amqp, grpc, amqp, ...)
  --rounds N                 pairs of transports in a grpc run (default 1)
  --only reads|writes        run only that half
  --seconds N                measured seconds per run (default 10, or $BENCH_SECONDS)
  --rate N                   the POST runs send N requests/s at an even pace (bench/lib/paced-child.mjs,
                             not autocannon's overallRate, which sends each second's quota in one
                             burst): the saga's placed→final latency below saturation (writes only)
  --connections N            concurrent connections (default 50, or $BENCH_CONNECTIONS)
  --warmup N                 seconds of load before each measured run, not counted (default 2)
  --rate-limit-store memory|redis
                             where the gateway counts its rate limits (default memory); redis uses
                             $BENCH_REDIS_URL (default redis://127.0.0.1:6379), keys under bench-<run>:
                             (they expire within a minute)
  --threads N                wrk threads (default 1: the generator's CPU is taken from the 2 cores)
  --load auto|wrk|autocannon load generator (default auto: wrk when on PATH, else autocannon)
  --drain-timeout N          longest wait in seconds for the saga backlog to drain (default 120)
  --cpu-prof                 run the apps with --cpu-prof; prints where the .cpuprofile files are
  --heap                     write a heap snapshot of each app after the run
  --soak                     steady mixed load (reads and writes at once) on the system only,
                             sampling RSS, heap and event-loop delay every 10 s; verdict flat or growing
  --minutes N                soak duration (default 5; at most 14, the access tokens last 15 minutes)
  --compare A.json B.json    print two saved runs side by side (B/A), run nothing
  --build | --no-build       build dist/ first, or never (default: only when missing; a note says
                             when apps/ or libs/ are newer than the build)
  --help                     this text

Results: bench/results/<ISO time>-<shape>.json (git-ignored), every process's output in
bench/results/logs/<run>/, CPU profiles in bench/results/profiles/<run>/, heap snapshots in
bench/results/heap/<run>/.
Load generator: wrk (apt-get install wrk) is preferred; autocannon is the fallback.`;

const VALUE_OPTIONS = {
  '--shape': (v) => oneOf('--shape', v, ['services', 'monolith']),
  '--only': (v) => oneOf('--only', v, ['reads', 'writes']),
  '--seconds': (v) => positive('--seconds', v),
  '--rate': (v) => positive('--rate', v, 1),
  '--connections': (v) => positive('--connections', v),
  '--warmup': (v) => positive('--warmup', v, 0),
  '--threads': (v) => positive('--threads', v),
  '--rate-limit-store': (v) => oneOf('--rate-limit-store', v, ['memory', 'redis']),
  '--rpc': (v) => oneOf('--rpc', v, ['amqp', 'grpc']),
  '--rounds': (v) => positive('--rounds', v, 1),
  '--load': (v) => oneOf('--load', v, ['auto', 'wrk', 'autocannon']),
  '--drain-timeout': (v) => positive('--drain-timeout', v),
  '--minutes': (v) => {
    const minutes = positive('--minutes', v);
    if (minutes > 14) throw new Error('--minutes: at most 14 (the access tokens last 15 minutes)');
    return minutes;
  },
};

function oneOf(name, value, allowed) {
  if (!allowed.includes(value)) throw new Error(`${name}: expected ${allowed.join(' or ')}, got "${value}"`);
  return value;
}

function positive(name, value, min = Number.MIN_VALUE) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name}: expected a number, got "${value}"`);
  return n;
}

export function parseOptions(argv) {
  const options = {
    shape: 'services',
    only: null,
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    rate: null,
    connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
    warmup: 2,
    threads: 1,
    rateLimitStore: 'memory',
    rpc: 'amqp',
    rpcCompare: false,
    rounds: 1,
    load: 'auto',
    drainTimeout: 120,
    cpuProf: false,
    heap: false,
    soak: false,
    minutes: 5,
    compare: null,
    build: 'auto',
    help: false,
  };
  const camel = (flag) => flag.slice(2).replace(/-(\w)/g, (_, c) => c.toUpperCase());
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg];
    if (flag === 'monolith' || flag === 'services') options.shape = flag;
    else if (flag === 'grpc') options.rpcCompare = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--cpu-prof') options.cpuProf = true;
    else if (flag === '--heap') options.heap = true;
    else if (flag === '--soak') options.soak = true;
    else if (flag === '--build') options.build = 'always';
    else if (flag === '--no-build') options.build = 'never';
    else if (flag === '--compare') {
      options.compare = [argv[i + 1], argv[i + 2]];
      if (!options.compare[0] || !options.compare[1]) throw new Error('--compare needs two result files');
      i += 2;
    } else if (VALUE_OPTIONS[flag]) {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      options[camel(flag)] = VALUE_OPTIONS[flag](value);
    } else throw new Error(`unknown option "${arg}" (see --help)`);
  }
  if (options.connections < options.threads) throw new Error('--connections must be at least --threads');
  if (options.shape === 'monolith' && (options.rpcCompare || options.rpc !== 'amqp')) {
    throw new Error('grpc and --rpc: the monolith calls its contexts in process; use the services shape');
  }
  if (options.rpcCompare && (options.soak || options.only === 'writes')) {
    throw new Error('grpc compares the reads: not with --soak or --only writes');
  }
  if (options.rpcCompare) options.only = 'reads';
  if (options.rate !== null) {
    if (options.only === 'reads' || options.rpcCompare || options.soak) throw new Error('--rate paces the writes only');
    options.only = 'writes';
  }
  return options;
}
