/**
 * The RPC transport outside Kubernetes. docker-compose.yml: `RPC_TRANSPORT=grpc docker compose up`
 * must switch the gateway and every service together (one of them left on amqp and no call is
 * answered), the gateway's targets must name the compose service serving that port, and the
 * servers must bind every interface of their container. .env.example: the documented values must
 * be ones the apps accept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRPC_APPS, GRPC_CLIENT, checkTransport, parseGrpcTarget } from './grpc-discovery.mjs';
import { loadYaml, problem, root } from './context.mjs';

const COMPOSE = 'docker-compose.yml';

/** A service's environment as a mapping (Compose also allows a list of KEY=value). */
function environmentOf(service) {
  const env = service?.environment ?? {};
  if (!Array.isArray(env))
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? v : String(v)]));
  return Object.fromEntries(env.map((line) => [line.split('=')[0], line.split('=').slice(1).join('=')]));
}

/** What an entry holds when the shell leaves its variable unset: `${X:-default}`'s default, else nothing to check. */
function unsetValue(value) {
  if (!value.startsWith('${')) return value;
  return /^\$\{[A-Z_][A-Z0-9_]*:?-([^}]*)\}$/.exec(value)?.[1] || undefined;
}

function checkCompose() {
  const file = join(root, COMPOSE);
  if (!existsSync(file)) return problem(COMPOSE, 'missing');
  const services = loadYaml(file, { merge: true })[0]?.services ?? {};
  const envOf = Object.fromEntries(
    [GRPC_CLIENT, ...GRPC_APPS.map((a) => a.app)].map((name) => [name, environmentOf(services[name])]),
  );

  const transports = new Map(Object.entries(envOf).map(([name, env]) => [name, env.RPC_TRANSPORT]));
  const distinct = new Set(transports.values());
  if (distinct.size > 1)
    problem(
      COMPOSE,
      `RPC_TRANSPORT must be the same for ${[...transports.keys()].join(', ')}: ${[...transports].map(([n, v]) => `${n} ${v ?? '(unset)'}`).join(', ')}`,
    );
  for (const value of distinct) if (value !== undefined) checkTransport(unsetValue(value), COMPOSE);

  const gateway = envOf[GRPC_CLIENT];
  for (const { app, targetVar, portVar, defaultPort } of GRPC_APPS) {
    const where = `${COMPOSE} ${GRPC_CLIENT}`;
    if (!gateway[targetVar]) {
      problem(
        where,
        `no ${targetVar}: with RPC_TRANSPORT=grpc the gateway would dial its default, inside its own container`,
      );
      continue;
    }
    const target = parseGrpcTarget(gateway[targetVar], where, targetVar);
    if (!target) continue;
    if (target.host !== app) {
      problem(where, `${targetVar} names ${target.host}, not the service ${app}`);
      continue;
    }
    const env = envOf[app];
    const port = Number(env[portVar] ?? defaultPort);
    if (target.port !== port)
      problem(where, `${targetVar} dials port ${target.port}; ${app} serves gRPC on ${port} (${portVar})`);
    const bind = env.GRPC_HOST || env.HTTP_HOST;
    if (!['0.0.0.0', '::'].includes(bind))
      problem(
        `${COMPOSE} ${app}`,
        `its gRPC server would bind ${bind ?? 'its default'} (GRPC_HOST, else HTTP_HOST), out of the gateway's reach`,
      );
  }
}

function checkEnvExample() {
  const file = join(root, '.env.example');
  if (!existsSync(file)) return; // workloads.mjs reports it
  const values = new Map(
    [...readFileSync(file, 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, k, v]) => [k, v.trim()]),
  );
  checkTransport(values.get('RPC_TRANSPORT') || undefined, '.env.example');
  for (const { targetVar } of GRPC_APPS) {
    if (values.get(targetVar)) parseGrpcTarget(values.get(targetVar), '.env.example', targetVar);
  }
}

export function checkComposeRpc() {
  checkCompose();
  checkEnvExample();
}
