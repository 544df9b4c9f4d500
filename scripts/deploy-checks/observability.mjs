/**
 * deploy/observability: Prometheus scrapes every app's management port, the Grafana provisioning
 * agrees with docker-compose.yml, and every dashboard panel's PromQL uses only the metrics the
 * apps expose (plus `up`), with their own label names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SERVICE_APPS } from './apps.mjs';
import { OBS_DIR, isObject, listFiles, loadYaml, problem, rel, root } from './context.mjs';

const DASHBOARDS_DIR = join(OBS_DIR, 'grafana/dashboards');
/** Where Prometheus finds each app's /metrics on the compose network: its management port. */
const SCRAPE_TARGETS = [
  'gateway:9000',
  ...SERVICE_APPS.map(({ app, managementPort }) => `${app}:${managementPort}`),
  'monolith:9000',
];

export function checkObservability() {
  if (!existsSync(OBS_DIR)) problem('deploy/observability', 'missing');
  const parsed = new Map(listFiles(OBS_DIR, (n) => /\.ya?ml$/.test(n)).map((file) => [file, loadYaml(file)]));
  const seconds = (d) => {
    const m = /^(\d+)(ms|s|m|h)$/.exec(String(d));
    return m ? Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]] : NaN;
  };

  const promFile = join(OBS_DIR, 'prometheus.yml');
  const prom = parsed.get(promFile)?.[0];
  if (!existsSync(promFile)) problem(rel(promFile), 'missing');
  else if (isObject(prom)) {
    const globalInterval = prom.global?.scrape_interval ?? '1m';
    const scraped = new Map();
    const jobs = new Set();
    for (const sc of prom.scrape_configs ?? []) {
      if (jobs.has(sc.job_name)) problem(rel(promFile), `job_name ${sc.job_name} used twice`);
      jobs.add(sc.job_name);
      const interval = seconds(sc.scrape_interval ?? globalInterval);
      const timeout = seconds(sc.scrape_timeout ?? prom.global?.scrape_timeout ?? '10s');
      if (timeout > interval) problem(rel(promFile), `${sc.job_name}: scrape_timeout exceeds scrape_interval`);
      for (const sc2 of sc.static_configs ?? []) {
        for (const t of sc2.targets ?? []) scraped.set(t, { path: sc.metrics_path ?? '/metrics', interval });
        if (sc2.labels && 'service' in sc2.labels) {
          problem(rel(promFile), `${sc.job_name}: a "service" target label would clash with the apps' own`);
        }
      }
    }
    for (const target of SCRAPE_TARGETS) {
      const s = scraped.get(target);
      if (!s) problem(rel(promFile), `does not scrape ${target}`);
      else if (s.path !== '/metrics') problem(rel(promFile), `${target}: metrics_path should be /metrics`);
      else if (!(s.interval <= 5)) problem(rel(promFile), `${target}: scrape interval should be 5s`);
    }
  }

  // Grafana: datasource uids, dashboard provider path, and how docker-compose.yml mounts them.
  const datasourceUids = new Set();
  for (const file of listFiles(join(OBS_DIR, 'grafana/provisioning/datasources'), (n) => /\.ya?ml$/.test(n))) {
    for (const ds of parsed.get(file)?.[0]?.datasources ?? []) {
      if (!ds.uid || !ds.type || !ds.url) problem(rel(file), `datasource ${ds.name}: needs uid, type and url`);
      else datasourceUids.add(ds.uid);
    }
  }
  if (!datasourceUids.size)
    problem('deploy/observability/grafana/provisioning/datasources', 'no datasource provisioned');
  const providerPaths = [];
  for (const file of listFiles(join(OBS_DIR, 'grafana/provisioning/dashboards'), (n) => /\.ya?ml$/.test(n))) {
    for (const p of parsed.get(file)?.[0]?.providers ?? []) {
      if (p.type !== 'file' || !p.options?.path)
        problem(rel(file), `provider ${p.name}: needs type file and options.path`);
      else providerPaths.push(p.options.path);
    }
  }
  if (!providerPaths.length) problem('deploy/observability/grafana/provisioning/dashboards', 'no dashboard provider');

  const composeFile = join(root, 'docker-compose.yml');
  if (existsSync(composeFile)) {
    const compose = loadYaml(composeFile, { merge: true })[0] ?? {};
    const mounts = [];
    for (const [service, def] of Object.entries(compose.services ?? {})) {
      for (const v of def.volumes ?? []) {
        if (typeof v !== 'string' || !v.startsWith('./')) continue;
        const [host, container] = v.split(':');
        if (!existsSync(join(root, host)))
          problem(`docker-compose.yml ${service}`, `mounts ${host}, which does not exist`);
        mounts.push({ service, host: host.replace(/^\.\/|\/$/g, ''), container: container.replace(/\/$/, '') });
      }
    }
    const grafana = compose.services?.grafana;
    if (!grafana) problem('docker-compose.yml', 'no grafana service');
    else {
      const dashMount = mounts.find((m) => m.service === 'grafana' && m.host === rel(DASHBOARDS_DIR));
      if (!dashMount) problem('docker-compose.yml grafana', `does not mount ${rel(DASHBOARDS_DIR)}`);
      else if (!providerPaths.includes(dashMount.container)) {
        problem(
          'docker-compose.yml grafana',
          `mounts the dashboards at ${dashMount.container}; the provider reads ${providerPaths}`,
        );
      }
      if (!mounts.some((m) => m.service === 'grafana' && m.container === '/etc/grafana/provisioning')) {
        problem(
          'docker-compose.yml grafana',
          'does not mount deploy/observability/grafana/provisioning at /etc/grafana/provisioning',
        );
      }
      const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
      if (home && dashMount && !existsSync(join(DASHBOARDS_DIR, relative(dashMount.container, home)))) {
        problem('docker-compose.yml grafana', `GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ${home} is no dashboard file`);
      }
    }
    if (!mounts.some((m) => m.service === 'prometheus' && m.host === rel(promFile))) {
      problem('docker-compose.yml', `the prometheus service does not mount ${rel(promFile)}`);
    }
  }

  // Metrics the apps expose: name -> type, labels (besides service/job/instance) and known values.
  const SERVICES = ['gateway', ...SERVICE_APPS.map((s) => s.app)];
  const catalogue = {
    http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'status_code'] },
    rpc_client_duration_seconds: {
      type: 'histogram',
      labels: ['target', 'pattern', 'outcome'],
      values: { outcome: ['ok', 'remote_error', 'timeout', 'unavailable', 'circuit_open'] },
    },
    rpc_server_duration_seconds: {
      type: 'histogram',
      labels: ['pattern', 'outcome'],
      values: { outcome: ['ok', 'error'] },
    },
    messages_consumed_total: {
      type: 'counter',
      labels: ['queue', 'outcome'],
      values: { outcome: ['handled', 'duplicate'] },
    },
    messages_retried_total: { type: 'counter', labels: ['queue'] },
    messages_dead_lettered_total: {
      type: 'counter',
      labels: ['queue', 'reason'],
      values: { reason: ['handler_failed', 'invalid', 'no_handler'] },
    },
    outbox_unpublished_rows: { type: 'gauge', labels: ['database'] },
    outbox_oldest_unpublished_age_seconds: { type: 'gauge', labels: ['database'] },
    outbox_published_total: { type: 'counter', labels: [] },
    saga_outcomes_total: {
      type: 'counter',
      labels: ['outcome', 'reason'],
      values: { outcome: ['confirmed', 'rejected', 'cancelled'] },
    },
    rate_limit_store_fallbacks_total: { type: 'counter', labels: ['limit'] },
    config_reloads_total: { type: 'counter', labels: ['app'] },
    config_reload_failures_total: { type: 'counter', labels: ['app'] },
    config_info: { type: 'gauge', labels: ['app', 'version'] },
    db_pool_connections: {
      type: 'gauge',
      labels: ['database', 'state'],
      values: { state: ['total', 'idle', 'waiting'] },
    },
    // prom-client 15's default metrics (collectDefaultMetrics), less its nodejs_active_*_total gauges (MetricsModule).
    ...Object.fromEntries(
      ['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total', 'process_cpu_seconds_total'].map((n) => [
        n,
        { type: 'counter', labels: [] },
      ]),
    ),
    ...Object.fromEntries(
      [
        'process_start_time_seconds',
        'process_resident_memory_bytes',
        'process_virtual_memory_bytes',
        'process_heap_bytes',
        'process_open_fds',
        'process_max_fds',
        'nodejs_eventloop_lag_seconds',
        ...['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((s) => `nodejs_eventloop_lag_${s}_seconds`),
        'nodejs_heap_size_total_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_external_memory_bytes',
      ].map((n) => [n, { type: 'gauge', labels: [] }]),
    ),
    nodejs_active_handles: { type: 'gauge', labels: ['type'] },
    nodejs_active_requests: { type: 'gauge', labels: ['type'] },
    nodejs_active_resources: { type: 'gauge', labels: ['type'] },
    ...Object.fromEntries(
      ['total', 'used', 'available'].map((s) => [
        `nodejs_heap_space_size_${s}_bytes`,
        { type: 'gauge', labels: ['space'] },
      ]),
    ),
    nodejs_version_info: { type: 'gauge', labels: ['version', 'major', 'minor', 'patch'] },
    nodejs_gc_duration_seconds: { type: 'histogram', labels: ['kind'] },
  };
  const TARGET_LABELS = ['job', 'instance'];
  /** Labels and known values of a series name as written in PromQL, or undefined if unknown. */
  function seriesInfo(name) {
    if (name === 'up') return { counter: false, labels: TARGET_LABELS, values: {} };
    const m = /^(.*)_(bucket|count|sum)$/.exec(name);
    const hist = m && catalogue[m[1]]?.type === 'histogram' ? catalogue[m[1]] : undefined;
    const entry = hist ?? catalogue[name];
    if (!entry || (!hist && entry.type === 'histogram')) return undefined;
    return {
      counter: Boolean(hist) || entry.type === 'counter',
      labels: [...entry.labels, 'service', ...TARGET_LABELS, ...(hist && m[2] === 'bucket' ? ['le'] : [])],
      values: { service: SERVICES, ...entry.values },
    };
  }

  const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2']);
  const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
  const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

  /** Checks one PromQL expression; reports through `report`. */
  function checkPromQL(expr, report) {
    const tokens = [];
    for (let i = 0; i < expr.length;) {
      const rest = expr.slice(i);
      const ws = /^\s+/.exec(rest);
      if (ws) {
        i += ws[0].length;
        continue;
      }
      let m;
      if ((m = /^"(?:[^"\\]|\\.)*"|^'(?:[^'\\]|\\.)*'|^`[^`]*`/.exec(rest))) tokens.push({ t: 'str', v: m[0] });
      else if ((m = /^\{(?:[^}"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*\}/.exec(rest)))
        tokens.push({ t: 'sel', v: m[0] });
      else if ((m = /^\[[^\]]*\]/.exec(rest))) tokens.push({ t: 'range', v: m[0] });
      else if ((m = /^\$\{[^}]*\}|^\$\w+/.exec(rest))) tokens.push({ t: 'var', v: m[0] });
      else if ((m = /^(?:\d+(?:ms|[smhdwy]))+/.exec(rest))) tokens.push({ t: 'dur', v: m[0] });
      else if ((m = /^(?:0x[0-9a-f]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf|nan)(?![\w:])/i.exec(rest))) {
        tokens.push({ t: 'num', v: m[0] });
      } else if ((m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest))) tokens.push({ t: 'id', v: m[0] });
      else if ((m = /^(?:==|!=|>=|<=|=~|!~|[-+*/%^<>(),@])/.exec(rest))) tokens.push({ t: 'op', v: m[0] });
      else {
        report(`unexpected character "${rest[0]}" in PromQL`);
        return;
      }
      i += m[0].length;
    }

    const metrics = [];
    const groupingLabels = [];
    const stack = []; // one entry per open "(": { fn, sawLe }
    let pendingFn = null;
    for (let k = 0; k < tokens.length; k++) {
      const { t, v } = tokens[k];
      const next = tokens[k + 1];
      if (t === 'op' && v === '(') {
        stack.push({ fn: pendingFn, sawLe: false });
        pendingFn = null;
      } else if (t === 'op' && v === ')') {
        const closed = stack.pop();
        if (!closed) return report('unbalanced ")"');
        if (closed.fn === 'histogram_quantile' && !closed.sawLe) {
          report('histogram_quantile needs the buckets aggregated with "by (le, ...)"');
        }
      } else if (t === 'sel' && tokens[k - 1]?.t !== 'id') report(`selector ${v} without a metric name`);
      else if (t === 'id') {
        if (GROUPING.has(v)) {
          if (next?.t === 'op' && next.v === '(') {
            const end = tokens.findIndex((x, j) => j > k && x.t === 'op' && x.v === ')');
            const labels = tokens
              .slice(k + 2, end)
              .filter((x) => x.t === 'id')
              .map((x) => x.v);
            groupingLabels.push(...labels);
            // Marks the open histogram_quantile( around a "sum by (le, ...)", before or after its operand.
            if (labels.includes('le')) for (const entry of stack) entry.sawLe = true;
            k = end;
          }
        } else if (KEYWORDS.has(v.toLowerCase())) continue;
        else if (next?.t === 'op' && next.v === '(') {
          stack.push({ fn: v, sawLe: false });
          k++;
        } else if (next?.t === 'id' && (next.v === 'by' || next.v === 'without')) {
          pendingFn = v; // "sum by (...) (": an aggregation whose "(" comes after the grouping
        } else {
          const enclosing = [...stack].reverse().find((e) => e.fn)?.fn;
          const innermost = stack.at(-1)?.fn;
          metrics.push({ name: v, selector: next?.t === 'sel' ? next.v : '', enclosing, innermost });
        }
      }
    }
    if (stack.length) report('unbalanced "("');
    if (!metrics.length) report('uses no metric');

    const allLabels = new Set();
    let unknown = false;
    for (const { name, selector, innermost } of metrics) {
      const info = seriesInfo(name);
      if (!info) {
        unknown = true;
        const base = name.replace(/_(bucket|count|sum)$/, '');
        report(
          catalogue[name]?.type === 'histogram'
            ? `histogram ${name} must be used as ${name}_bucket, _count or _sum`
            : `unknown metric ${name}${base !== name ? ` (${base} is not a histogram the apps expose)` : ''}`,
        );
        continue;
      }
      info.labels.forEach((l) => allLabels.add(l));
      if (info.counter && !RATE_FUNCTIONS.has(innermost)) {
        report(`counter ${name} should be read through rate(), irate() or increase()`);
      }
      for (const [, label, op, quoted] of selector.matchAll(
        /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g,
      )) {
        if (!info.labels.includes(label)) report(`${name} has no label "${label}" (has: ${info.labels.join(', ')})`);
        const value = quoted.slice(1, -1);
        const known = info.values[label];
        if (known && (op === '=' || op === '!=') && !known.includes(value)) {
          report(`${name}{${label}="${value}"}: ${label} is one of ${known.join(' | ')}`);
        }
      }
    }
    for (const label of unknown ? [] : groupingLabels) {
      if (!allLabels.has(label)) report(`groups by "${label}", which none of its metrics has`);
    }
  }

  const dashboardFiles = listFiles(DASHBOARDS_DIR, (n) => n.endsWith('.json'));
  if (!dashboardFiles.length) problem(rel(DASHBOARDS_DIR), 'no dashboard JSON');
  let queryCount = 0;
  const dashboardUids = new Set();
  for (const file of dashboardFiles) {
    const where = rel(file);
    let dash;
    try {
      dash = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problem(where, `invalid JSON: ${error.message}`);
      continue;
    }
    if (dash.schemaVersion !== 39) problem(where, `schemaVersion is ${dash.schemaVersion}, expected 39`);
    if (typeof dash.uid !== 'string' || !dash.uid || typeof dash.title !== 'string' || !dash.title) {
      problem(where, 'needs a uid and a title');
    } else if (dashboardUids.has(dash.uid)) problem(where, `uid ${dash.uid} used by another dashboard`);
    dashboardUids.add(dash.uid);
    if (!Array.isArray(dash.panels) || !dash.panels.length) {
      problem(where, 'no panels');
      continue;
    }
    const all = dash.panels.flatMap((p) => [p, ...(p.type === 'row' ? (p.panels ?? []) : [])]);
    const ids = new Set();
    const boxes = [];
    const strangeUids = new Set();
    for (const panel of all) {
      const at = `${where} panel ${panel.id} "${panel.title}"`;
      if (!Number.isInteger(panel.id) || ids.has(panel.id)) problem(at, 'id missing or not unique');
      ids.add(panel.id);
      if (!['row', 'timeseries', 'stat'].includes(panel.type))
        problem(at, `type ${panel.type}: use timeseries, stat or row`);
      const g = panel.gridPos;
      if (!g || ![g.x, g.y, g.w, g.h].every(Number.isInteger) || g.x < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) {
        problem(at, 'gridPos needs integer x, y, w, h within 24 columns');
      } else if (!(panel.type === 'row' && panel.collapsed)) {
        const clash = boxes.find((b) => g.x < b.x + b.w && b.x < g.x + g.w && g.y < b.y + b.h && b.y < g.y + g.h);
        if (clash) problem(at, `overlaps panel ${clash.id}`);
        boxes.push({ ...g, id: panel.id });
      }
      if (panel.type === 'row') continue;
      if (!panel.title) problem(at, 'no title');
      if (!datasourceUids.has(panel.datasource?.uid)) strangeUids.add(panel.datasource?.uid);
      const targets = panel.targets ?? [];
      if (!targets.length) problem(at, 'no queries');
      const refIds = new Set();
      for (const target of targets) {
        if (!target.refId || refIds.has(target.refId)) problem(at, `refId ${target.refId} missing or repeated`);
        refIds.add(target.refId);
        if (target.datasource && !datasourceUids.has(target.datasource.uid)) strangeUids.add(target.datasource.uid);
        if (typeof target.expr !== 'string' || !target.expr.trim()) {
          problem(at, `query ${target.refId}: no expr`);
          continue;
        }
        queryCount++;
        checkPromQL(target.expr, (message) => problem(at, `query ${target.refId}: ${message}\n    ${target.expr}`));
      }
    }
    for (const uid of strangeUids) {
      problem(where, `panels use datasource uid ${uid}, not a provisioned one (${[...datasourceUids].join(', ')})`);
    }
  }

  return { yamlFiles: parsed.size, dashboards: dashboardFiles.length, queries: queryCount };
}
