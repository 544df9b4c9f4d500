#!/usr/bin/env node
/**
 * Offline checks of the deployment files (part of `npm run lint`; no cluster, no Docker engine).
 *
 * 1. Every YAML file under deploy/k8s and deploy/observability parses (duplicate keys count as
 *    errors).
 * 2. deploy/k8s, structurally (no Kubernetes JSON-schema validator is installable here:
 *    kubeconform is neither a Debian nor an npm package):
 *    - known apiVersion/kind pairs, every object in the namespace, kustomization lists every file;
 *    - ConfigMap/Secret values are strings, every variable of .env.example is in exactly one of
 *      them, the credentials only in the Secret;
 *    - every Deployment: selector matches its pod labels, liveness on /health/live and readiness
 *      on /health/ready at a declared port, requests and limits for cpu and memory,
 *      terminationGracePeriodSeconds > SHUTDOWN_TIMEOUT_MS + the preStop sleep, runAsNonRoot with
 *      a numeric uid, read-only root filesystem, no privilege escalation, envFrom sources that exist;
 *    - the database connection budget: users' and orders' maxReplicas x DB_POOL_SIZE <= 90;
 *    - every Service selects a Deployment's pods and targets one of its ports; every HPA targets an
 *      existing Deployment; every PodDisruptionBudget selects one and leaves room to evict.
 * 3. deploy/observability: Prometheus scrapes the three apps' /metrics, the Grafana provisioning
 *    files are consistent with docker-compose.yml, and every dashboard panel's PromQL uses only
 *    the metrics the apps expose (plus `up`), with their own label names.
 *
 * Prints every problem found and exits 1, or prints one summary line and exits 0.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const K8S_DIR = join(root, 'deploy/k8s');
const OBS_DIR = join(root, 'deploy/observability');
const DASHBOARDS_DIR = join(OBS_DIR, 'grafana/dashboards');
const NAMESPACE = 'nest-ddd';

let YAML;
try {
  YAML = await import('yaml');
} catch {
  console.error('validate-deploy: the "yaml" package is not installed (npm install --save-dev yaml)');
  process.exit(1);
}

const problems = [];
const rel = (file) => relative(root, file);
const problem = (where, message) => problems.push(`${where}: ${message}`);
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

function listFiles(dir, predicate) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path, predicate) : predicate(name) ? [path] : [];
    });
}

/** Every document of a YAML file as plain JS; parse errors and warnings become problems. */
function loadYaml(file, options = {}) {
  const docs = YAML.parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true, ...options });
  const list = Array.isArray(docs) ? docs : [docs];
  const values = [];
  for (const doc of list) {
    for (const error of [...doc.errors, ...doc.warnings]) problem(rel(file), `YAML: ${error.message.split('\n')[0]}`);
    if (doc.errors.length === 0 && doc.contents !== null) values.push(doc.toJS());
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// 1. Parse every YAML file.

const yamlFiles = [...listFiles(K8S_DIR, (n) => /\.ya?ml$/.test(n)), ...listFiles(OBS_DIR, (n) => /\.ya?ml$/.test(n))];
if (!existsSync(K8S_DIR)) problem('deploy/k8s', 'missing');
if (!existsSync(OBS_DIR)) problem('deploy/observability', 'missing');
const parsed = new Map(yamlFiles.map((file) => [file, loadYaml(file)]));

// ---------------------------------------------------------------------------------------------
// 2. Kubernetes manifests.

const KNOWN_KINDS = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
};
/** Variables that hold credentials: in the Secret, never in the ConfigMap. */
const SECRET_VARS = ['DB_PASSWORD', 'AMQP_URL', 'JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'];
/**
 * An app's own Secret (`nest-ddd-<app>-secrets`: its broker user, database password, signing key),
 * loaded by that app's Deployment alone. The same variable may be in several of these.
 */
const APP_SECRET = /^nest-ddd-(gateway|users|orders)-secrets$/;
/** Port variable of each app's container, so the containerPort agrees with what the app listens on. */
const PORT_VARS = { gateway: 'GATEWAY_PORT', users: 'USERS_HTTP_PORT', orders: 'ORDERS_HTTP_PORT' };
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

const objects = [];
for (const [file, docs] of parsed) {
  if (!file.startsWith(K8S_DIR) || /kustomization\.ya?ml$/.test(file)) continue;
  docs.forEach((doc, i) => {
    const where = `${rel(file)}#${i + 1}`;
    if (!isObject(doc)) return problem(where, 'not a mapping');
    const { apiVersion, kind } = doc;
    const name = doc.metadata?.name;
    if (!kind || !apiVersion || !name) return problem(where, 'needs apiVersion, kind and metadata.name');
    const label = `${rel(file)} ${kind}/${name}`;
    if (!(kind in KNOWN_KINDS)) problem(label, `unexpected kind (known: ${Object.keys(KNOWN_KINDS).join(', ')})`);
    else if (KNOWN_KINDS[kind] !== apiVersion) problem(label, `apiVersion should be ${KNOWN_KINDS[kind]}`);
    if (kind === 'Namespace') {
      if (name !== NAMESPACE) problem(label, `expected the namespace ${NAMESPACE}`);
    } else if (doc.metadata.namespace !== NAMESPACE) problem(label, `metadata.namespace should be ${NAMESPACE}`);
    if (objects.some((o) => o.kind === kind && o.name === name)) problem(label, 'defined twice');
    objects.push({ kind, name, doc, label });
  });
}
const ofKind = (kind) => objects.filter((o) => o.kind === kind);

// kustomization.yaml lists exactly the manifests.
const kustomizationFile = [join(K8S_DIR, 'kustomization.yaml'), join(K8S_DIR, 'kustomization.yml')].find(existsSync);
if (!kustomizationFile) problem('deploy/k8s', 'no kustomization.yaml');
else {
  const resources = parsed.get(kustomizationFile)?.[0]?.resources ?? [];
  const manifests = listFiles(K8S_DIR, (n) => /\.ya?ml$/.test(n) && !/^kustomization\.ya?ml$/.test(n)).map((f) =>
    relative(K8S_DIR, f),
  );
  for (const r of resources) if (!manifests.includes(r)) problem(rel(kustomizationFile), `lists ${r}, no such file`);
  for (const m of manifests) if (!resources.includes(m)) problem(rel(kustomizationFile), `does not list ${m}`);
}
if (!ofKind('Namespace').length) problem('deploy/k8s', `no Namespace ${NAMESPACE}`);

// ConfigMap and Secret: string values; .env.example fully covered.
const configKeys = new Map(); // variable -> 'ConfigMap/x' | 'Secret/y'
const configValues = {};
for (const { kind, name, doc, label } of [...ofKind('ConfigMap'), ...ofKind('Secret')]) {
  const data = { ...doc.data, ...doc.stringData };
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') problem(label, `${key}: value must be a string (quote it), got ${typeof value}`);
    const previous = configKeys.get(key);
    const perApp = (where) => APP_SECRET.test(where?.replace(/^Secret\//, '') ?? '');
    if (previous && !(kind === 'Secret' && APP_SECRET.test(name) && perApp(previous))) {
      problem(label, `${key} is also in ${previous}`);
    }
    configKeys.set(key, `${kind}/${name}`);
    if (kind === 'ConfigMap') configValues[key] = String(value);
  }
  if (kind === 'ConfigMap') {
    for (const key of SECRET_VARS) if (key in data) problem(label, `${key} holds a credential: move it to the Secret`);
  }
}
const envExamplePath = join(root, '.env.example');
const envExample = existsSync(envExamplePath) ? readFileSync(envExamplePath, 'utf8') : '';
if (!envExample) problem('.env.example', 'missing');
const envVars = new Map(
  [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, key, value]) => [key, value.trim()]),
);
// The k8s manifests deploy the three services; the monolith's own variables are for a laptop.
const MONOLITH_ONLY = new Set(['EMBEDDED_DB_DIR', 'EMBEDDED_DB_PORT']);
for (const key of envVars.keys()) {
  if (!configKeys.has(key) && !MONOLITH_ONLY.has(key))
    problem('deploy/k8s', `${key} (from .env.example) is in neither the ConfigMap nor the Secret`);
}
for (const key of SECRET_VARS) {
  if (!configKeys.get(key)?.startsWith('Secret/')) problem('deploy/k8s', `${key} must be in the Secret`);
}
const shutdownTimeoutMs = Number(
  configValues.SHUTDOWN_TIMEOUT_MS || envVars.get('SHUTDOWN_TIMEOUT_MS') || DEFAULT_SHUTDOWN_TIMEOUT_MS,
);

/** CPU in cores, memory in bytes; NaN when unreadable. */
function quantity(value) {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  if (!m) return NaN;
  const factor = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] ? factor[m[2]] : 1);
}
const matches = (selector, labels) =>
  isObject(selector) &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
/** The containerPort a probe or Service port refers to (by number or name), or undefined. */
const resolvePort = (containers, port) =>
  containers
    .flatMap((c) => c.ports ?? [])
    .find((p) => p.containerPort === port || (typeof port === 'string' && p.name === port));
/** Seconds of a preStop `sleep N` (exec form, directly or through sh -c), or undefined. */
function preStopSleep(container) {
  const command = container.lifecycle?.preStop?.exec?.command;
  if (Array.isArray(command)) {
    const m = /(?:^|\s|\/)sleep\s+(\d+(?:\.\d+)?)\b/.exec(command.join(' '));
    if (m) return Number(m[1]);
  }
  const sleep = container.lifecycle?.preStop?.sleep?.seconds;
  return typeof sleep === 'number' ? sleep : undefined;
}

const deployments = ofKind('Deployment');
if (!deployments.length) problem('deploy/k8s', 'no Deployment');
for (const { name, doc, label } of deployments) {
  const template = doc.spec?.template;
  const pod = template?.spec ?? {};
  const podLabels = template?.metadata?.labels;
  if (!matches(doc.spec?.selector?.matchLabels, podLabels))
    problem(label, 'spec.selector.matchLabels must match the pod labels');
  const containers = pod.containers ?? [];
  if (!containers.length) problem(label, 'no containers');

  const grace = pod.terminationGracePeriodSeconds;
  for (const c of containers) {
    const where = `${label} container ${c.name}`;
    if (!c.image) problem(where, 'no image');
    for (const [probeName, path] of [
      ['livenessProbe', '/health/live'],
      ['readinessProbe', '/health/ready'],
    ]) {
      const get = c[probeName]?.httpGet;
      if (!get) problem(where, `${probeName} must be an httpGet on ${path}`);
      else {
        if (get.path !== path) problem(where, `${probeName} path is ${get.path}, expected ${path}`);
        if (!resolvePort([c], get.port))
          problem(where, `${probeName} port ${get.port} is not a declared containerPort`);
      }
    }
    for (const section of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        const value = c.resources?.[section]?.[resource];
        if (value === undefined) problem(where, `resources.${section}.${resource} is missing`);
        else if (Number.isNaN(quantity(value)))
          problem(where, `resources.${section}.${resource}: unreadable "${value}"`);
      }
    }
    for (const resource of ['cpu', 'memory']) {
      const request = quantity(c.resources?.requests?.[resource]);
      const limit = quantity(c.resources?.limits?.[resource]);
      if (request > limit) problem(where, `resources.requests.${resource} exceeds the limit`);
    }
    const sleep = preStopSleep(c);
    if (sleep === undefined) problem(where, 'lifecycle.preStop must pause (exec sleep N) before SIGTERM');
    const needed = shutdownTimeoutMs / 1000 + (sleep ?? 0);
    if (typeof grace !== 'number' || grace <= needed) {
      problem(
        label,
        `terminationGracePeriodSeconds (${grace}) must exceed shutdown timeout ${shutdownTimeoutMs / 1000} s + preStop ${sleep ?? 0} s`,
      );
    }
    const sc = { ...pod.securityContext, ...c.securityContext };
    if (sc.runAsNonRoot !== true) problem(where, 'securityContext.runAsNonRoot must be true');
    if (!Number.isInteger(sc.runAsUser) || sc.runAsUser === 0) {
      problem(
        where,
        'securityContext.runAsUser must be a non-zero uid (the image USER is a name the kubelet cannot check)',
      );
    }
    if (c.securityContext?.readOnlyRootFilesystem !== true)
      problem(where, 'securityContext.readOnlyRootFilesystem must be true');
    if (c.securityContext?.allowPrivilegeEscalation !== false) {
      problem(where, 'securityContext.allowPrivilegeEscalation must be false');
    }
    for (const source of c.envFrom ?? []) {
      if (source.configMapRef && !ofKind('ConfigMap').some((o) => o.name === source.configMapRef.name)) {
        problem(where, `envFrom ConfigMap ${source.configMapRef.name} does not exist`);
      }
      if (source.secretRef && !ofKind('Secret').some((o) => o.name === source.secretRef.name)) {
        problem(where, `envFrom Secret ${source.secretRef.name} does not exist`);
      }
    }
    for (const source of c.envFrom ?? []) {
      const owner = APP_SECRET.exec(source.secretRef?.name ?? '')?.[1];
      if (owner && owner !== c.name) problem(where, `loads ${source.secretRef.name}, the Secret of ${owner}`);
    }
    if (ofKind('Secret').some((o) => o.name === `nest-ddd-${c.name}-secrets`)) {
      if (!(c.envFrom ?? []).some((s) => s.secretRef?.name === `nest-ddd-${c.name}-secrets`)) {
        problem(where, `must load its own Secret nest-ddd-${c.name}-secrets`);
      }
    }
    if (!(c.envFrom ?? []).some((s) => s.configMapRef) || !(c.envFrom ?? []).some((s) => s.secretRef)) {
      problem(where, 'envFrom must load both the ConfigMap and the Secret');
    }
    const portVar = PORT_VARS[c.name];
    if (portVar && configValues[portVar] && !resolvePort([c], Number(configValues[portVar]))) {
      problem(where, `no containerPort ${configValues[portVar]} (${portVar} in the ConfigMap)`);
    }
  }
  const scrapePort = template?.metadata?.annotations?.['prometheus.io/port'];
  if (template?.metadata?.annotations?.['prometheus.io/scrape'] !== 'true') {
    problem(label, 'pod annotation prometheus.io/scrape: "true" is missing');
  } else if (!resolvePort(containers, Number(scrapePort))) {
    problem(label, `prometheus.io/port ${scrapePort} is not a containerPort`);
  }
  if (!ofKind('HorizontalPodAutoscaler').some((h) => h.doc.spec?.scaleTargetRef?.name === name)) {
    problem(label, 'no HorizontalPodAutoscaler targets it');
  }
  if (!ofKind('PodDisruptionBudget').some((p) => matches(p.doc.spec?.selector?.matchLabels, podLabels))) {
    problem(label, 'no PodDisruptionBudget covers it');
  }
}

for (const { doc, label } of ofKind('Service')) {
  const selector = doc.spec?.selector;
  const target = deployments.find((d) => matches(selector, d.doc.spec?.template?.metadata?.labels));
  if (!target) {
    problem(label, `selector ${JSON.stringify(selector)} matches no Deployment's pod labels`);
    continue;
  }
  const containers = target.doc.spec.template.spec?.containers ?? [];
  for (const port of doc.spec?.ports ?? []) {
    if (!resolvePort(containers, port.targetPort ?? port.port)) {
      problem(label, `targetPort ${port.targetPort ?? port.port} is not a containerPort of Deployment/${target.name}`);
    }
  }
}

for (const { doc, label } of ofKind('HorizontalPodAutoscaler')) {
  const ref = doc.spec?.scaleTargetRef ?? {};
  const target = deployments.find((d) => d.name === ref.name);
  if (ref.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || !target) {
    problem(label, `scaleTargetRef ${ref.apiVersion} ${ref.kind}/${ref.name} is not an existing Deployment`);
  }
  const { minReplicas = 1, maxReplicas } = doc.spec ?? {};
  if (!(Number.isInteger(maxReplicas) && minReplicas >= 1 && minReplicas <= maxReplicas)) {
    problem(label, 'needs 1 <= minReplicas <= maxReplicas');
  }
  const usesCpu = (doc.spec?.metrics ?? []).some((m) => m.resource?.name === 'cpu');
  if (usesCpu && target && target.doc.spec.template.spec.containers.some((c) => !c.resources?.requests?.cpu)) {
    problem(label, 'scales on CPU utilization but a container of the target has no cpu request');
  }
}

// The database connection budget: at the HPAs' maximum, the pools of every pod with a database
// (users, orders) fit in Postgres's default max_connections (100), less the 3 reserved for
// superusers and room for migrations, psql and monitoring.
const DB_CONNECTION_BUDGET = 90;
{
  const pool = Number(configValues.DB_POOL_SIZE);
  let peak = 0;
  for (const name of ['users', 'orders']) {
    const hpa = ofKind('HorizontalPodAutoscaler').find((h) => h.doc.spec?.scaleTargetRef?.name === name);
    peak += (hpa?.doc.spec?.maxReplicas ?? 1) * pool;
  }
  if (!(peak <= DB_CONNECTION_BUDGET)) {
    problem(
      'deploy/k8s',
      `users and orders at their HPA maximum hold ${peak} database connections (maxReplicas x DB_POOL_SIZE ${pool}), over the budget of ${DB_CONNECTION_BUDGET}`,
    );
  }
  if (Number(configValues.EVENTS_CONCURRENCY) >= pool) {
    problem(
      'deploy/k8s',
      'EVENTS_CONCURRENCY must stay below DB_POOL_SIZE: RPC and the outbox relay need connections too',
    );
  }
}

for (const { doc, label } of ofKind('PodDisruptionBudget')) {
  const target = deployments.find((d) =>
    matches(doc.spec?.selector?.matchLabels, d.doc.spec?.template?.metadata?.labels),
  );
  if (!target) problem(label, "selector matches no Deployment's pod labels");
  const minAvailable = doc.spec?.minAvailable;
  const hpa = target && ofKind('HorizontalPodAutoscaler').find((h) => h.doc.spec?.scaleTargetRef?.name === target.name);
  if (hpa && Number.isInteger(minAvailable) && minAvailable >= (hpa.doc.spec.minReplicas ?? 1)) {
    problem(label, `minAvailable ${minAvailable} leaves no pod evictable at the HPA's minReplicas`);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Observability: Prometheus, Grafana provisioning, dashboards.

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
  for (const target of ['gateway:3000', 'users:3001', 'orders:3002']) {
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
if (!datasourceUids.size) problem('deploy/observability/grafana/provisioning/datasources', 'no datasource provisioned');
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
const SERVICES = ['gateway', 'users', 'orders'];
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

// ---------------------------------------------------------------------------------------------

if (problems.length) {
  console.error(`validate-deploy: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `validate-deploy: OK (${yamlFiles.length} YAML files, ${objects.length} Kubernetes objects, ` +
    `${dashboardFiles.length} dashboard(s) with ${queryCount} PromQL queries)`,
);
