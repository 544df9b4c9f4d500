/**
 * The database connection budget at the HPAs' maximum, and what transaction pooling requires.
 *   clients: every pod of every service (users, orders, payments) at maxReplicas holds DB_POOL_SIZE connections to
 *     PgBouncer; all of them may land on one PgBouncer pod, so they must fit its max_client_conn.
 *   servers: each PgBouncer pod opens its own pool per database, so PgBouncer's Postgres
 *     connections are replicas x the pools' sum, and they must fit Postgres's max_connections
 *     less its superuser reserve, one direct connection per app pod for migrations (the advisory
 *     lock: one session waiting per pod, plus the one migrating) and a few for people and tools.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_APPS } from './apps.mjs';
import { K8S_DIR, problem } from './context.mjs';

/** Postgres's defaults: the server is not part of these manifests (README says to keep them). */
export const POSTGRES_MAX_CONNECTIONS = 100;
export const POSTGRES_SUPERUSER_RESERVED = 3;
/** psql, monitoring, a backup: connections nobody's pool counts. */
export const ADMIN_CONNECTIONS = 5;
const DATABASE_APPS = SERVICE_APPS.map(({ app, databaseVar }) => ({ app, databaseVar }));
const PGBOUNCER_INI = join(K8S_DIR, 'pgbouncer/pgbouncer.ini');

/** PgBouncer's ini: { databases: { name: { key: value } }, pgbouncer: { key: value } }. */
export function parsePgbouncerIni(text) {
  const sections = { databases: {}, pgbouncer: {} };
  let section;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const [key, ...rest] = line.split('=');
    const value = rest.join('=').trim();
    if (section === 'databases') {
      // name = host=... port=... connect_query='...'
      const params = {};
      for (const [, k, quoted, bare] of value.matchAll(/(\w+)=(?:'((?:[^']|'')*)'|(\S+))/g)) params[k] = quoted ?? bare;
      sections.databases[key.trim()] = params;
    } else if (section === 'pgbouncer') sections.pgbouncer[key.trim()] = value;
  }
  return sections;
}

export function checkConnectionBudget({ config, hpaOf, deployments, named }) {
  const where = 'deploy/k8s/pgbouncer/pgbouncer.ini';
  const pool = Number(config.DB_POOL_SIZE);
  if (Number(config.EVENTS_CONCURRENCY) >= pool)
    problem(
      'deploy/k8s',
      'EVENTS_CONCURRENCY must stay below DB_POOL_SIZE: RPC and the outbox relay need connections too',
    );
  if (!existsSync(PGBOUNCER_INI)) return problem(where, 'missing');
  const ini = parsePgbouncerIni(readFileSync(PGBOUNCER_INI, 'utf8'));
  const bouncer = ini.pgbouncer;
  const pgbouncer = deployments.find((d) => d.name === 'pgbouncer');
  if (!pgbouncer) return problem('deploy/k8s', 'no Deployment pgbouncer');
  if (!named('Service', 'pgbouncer')) problem('deploy/k8s', 'no Service pgbouncer');

  // The apps talk to PgBouncer; migrations, which hold a session advisory lock, to Postgres.
  const listen = Number(bouncer.listen_port);
  if (config.DB_HOST !== 'pgbouncer' || Number(config.DB_PORT) !== listen)
    problem('deploy/k8s ConfigMap', `DB_HOST:DB_PORT must be pgbouncer:${listen}`);
  if (!pgbouncer.doc.spec.template.spec.containers.some((c) => (c.ports ?? []).some((p) => p.containerPort === listen)))
    problem(where, `listen_port ${listen} is not a containerPort of Deployment/pgbouncer`);
  if (
    bouncer.pool_mode === 'transaction' &&
    (!config.DB_MIGRATIONS_HOST || config.DB_MIGRATIONS_HOST === config.DB_HOST)
  )
    problem(
      'deploy/k8s ConfigMap',
      'DB_MIGRATIONS_HOST must name Postgres itself: a session advisory lock does not survive transaction pooling',
    );
  if (config.DB_PREPARED_STATEMENTS === 'true' && !(Number(bouncer.max_prepared_statements) > 0))
    problem(where, 'DB_PREPARED_STATEMENTS is true: max_prepared_statements must be > 0 (PgBouncer >= 1.21)');

  // Startup parameters the apps send: ignored by PgBouncer, so set again on each server connection.
  const ignored = (bouncer.ignore_startup_parameters ?? '').split(',').map((s) => s.trim());
  const timeouts = {
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
  for (const name of Object.keys(timeouts)) {
    if (!ignored.includes(name))
      problem(
        where,
        `ignore_startup_parameters must list ${name}: the apps send it, PgBouncer refuses the login otherwise`,
      );
  }

  let serverPools = 0;
  for (const { app, databaseVar } of DATABASE_APPS) {
    const database = config[databaseVar];
    const entry = ini.databases[database];
    if (!entry) {
      problem(where, `[databases] has no ${database} (${databaseVar})`);
      continue;
    }
    for (const [name, ms] of Object.entries(timeouts)) {
      const set = new RegExp(`SET ${name} = (\\d+)\\b`).exec(entry.connect_query ?? '');
      if (!set || set[1] !== ms)
        problem(where, `${database}: connect_query must SET ${name} = ${ms} (the ConfigMap's value)`);
    }
    const size = Math.min(
      Number(entry.pool_size ?? bouncer.default_pool_size ?? 20),
      Number(bouncer.max_db_connections || Infinity),
    );
    serverPools += size;
    if (!hpaOf(app)) problem('deploy/k8s', `no HPA for ${app}: its maximum is the budget's input`);
  }

  const maxPods = DATABASE_APPS.reduce((sum, { app }) => sum + (hpaOf(app)?.doc.spec.maxReplicas ?? 1), 0);
  const clients = maxPods * pool;
  if (!(clients <= Number(bouncer.max_client_conn)))
    problem(
      where,
      `${clients} client connections at the HPAs' maximum (${maxPods} pods x DB_POOL_SIZE ${pool}) exceed max_client_conn ${bouncer.max_client_conn}`,
    );
  const replicas = pgbouncer.doc.spec.replicas ?? 1;
  const surge = pgbouncer.doc.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (surge !== 0)
    problem('deploy/k8s Deployment/pgbouncer', 'maxSurge must be 0: a surge pod opens one more set of server pools');
  const servers = replicas * serverPools;
  const direct = maxPods + 1;
  const available = POSTGRES_MAX_CONNECTIONS - POSTGRES_SUPERUSER_RESERVED - direct - ADMIN_CONNECTIONS;
  if (!(servers <= available)) {
    problem(
      where,
      `${servers} Postgres connections (${replicas} PgBouncer pods x ${serverPools}) exceed the ${available} left of max_connections ${POSTGRES_MAX_CONNECTIONS} (reserved ${POSTGRES_SUPERUSER_RESERVED}, migrations ${direct}, admin ${ADMIN_CONNECTIONS})`,
    );
  }
  return { clients, maxClients: Number(bouncer.max_client_conn), servers, available };
}
