import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';

/*
 * scripts/validate-deploy.mjs (run by `npm run lint`) must refuse broken deploy files, not only
 * pass the good ones: each case breaks one thing in a copy of the repository's deploy files and
 * expects the run to fail, naming it.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const COPIED = ['scripts', 'deploy', '.env.example', 'docker-compose.yml', 'package.json'];
const copies: string[] = [];

/** A copy of what the script reads, with `edit` applied to it; its node_modules is the repository's. */
function copyWith(edit: (file: (path: string, change: (text: string) => string) => void) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'validate-deploy-'));
  copies.push(dir);
  for (const path of COPIED) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  edit((path, change) => {
    const file = join(dir, path);
    const before = readFileSync(file, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${path} changed nothing: the case tests nothing`);
    writeFileSync(file, after);
  });
  return dir;
}

function validate(dir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['scripts/validate-deploy.mjs'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('validate-deploy', () => {
  it('passes the deploy files as committed', () => {
    const { status, output } = validate(copyWith(() => undefined));
    expect(output).toMatch(/validate-deploy: OK \(\d+ Kubernetes objects valid against their schemas/);
    expect(status).toBe(0);
  });

  it.each([
    {
      broken: 'a field of the wrong type (the Kubernetes schema)',
      file: 'deploy/k8s/gateway.yaml',
      change: (text: string) => text.replace('containerPort: 3000', 'containerPort: three-thousand'),
      names: /Deployment\/gateway: schema: \S*containerPort must be integer/,
    },
    {
      broken: 'a variable of .env.example in neither the ConfigMap nor a Secret',
      file: '.env.example',
      change: (text: string) => `${text}\n# a new setting\nBRAND_NEW_SETTING=1\n`,
      names: /BRAND_NEW_SETTING \(from \.env\.example\) is in neither the ConfigMap nor a Secret/,
    },
    {
      broken: 'a connection budget that no longer holds at the HPA maximum',
      file: 'deploy/k8s/users.yaml',
      change: (text: string) => text.replace('maxReplicas: 10', 'maxReplicas: 60'),
      names: /client connections at the HPAs' maximum .* exceed max_client_conn/,
    },
    {
      broken: 'a probe on a port the container does not declare',
      file: 'deploy/k8s/orders.yaml',
      change: (text: string) => text.replace(/(readinessProbe:\n\s+httpGet:\n\s+path: \S+\n\s+port: )\S+/, '$1nope'),
      names: /readinessProbe port nope is not a declared containerPort/,
    },
    {
      broken: 'a dashboard query on a metric no app exposes',
      file: 'deploy/observability/grafana/dashboards/nest-ddd.json',
      change: (text: string) => text.replace('rate_limit_store_fallbacks_total', 'rate_limit_store_fallbacks_totl'),
      names: /rate_limit_store_fallbacks_totl/,
    },
    // RPC over gRPC and discovery through DNS (deploy-checks/grpc-discovery.mjs, compose-rpc.mjs).
    {
      broken: 'an RPC_TRANSPORT the apps do not know (ConfigMap)',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace('RPC_TRANSPORT: grpc', 'RPC_TRANSPORT: grcp'),
      names: /ConfigMap: RPC_TRANSPORT "grcp" is not a transport: amqp or grpc/,
    },
    {
      broken: 'a gRPC target without its port (grpc-js would dial 443)',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) =>
        text.replace('orders-grpc.nest-ddd.svc.cluster.local:50052', 'orders-grpc.nest-ddd.svc.cluster.local'),
      names:
        /ORDERS_GRPC_TARGET "dns:\/\/\/orders-grpc\.nest-ddd\.svc\.cluster\.local" must read dns:\/\/\/<host>:<port>/,
    },
    {
      broken: 'a gRPC target in another namespace',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace('users-grpc.nest-ddd.svc', 'users-grpc.default.svc'),
      names:
        /USERS_GRPC_TARGET names users-grpc\.default\.svc\.cluster\.local, not a Service of the namespace nest-ddd/,
    },
    {
      broken: 'a gRPC target naming a Service that does not exist',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace('dns:///users-grpc.', 'dns:///users-rpc.'),
      names: /USERS_GRPC_TARGET names the Service users-rpc, which does not exist/,
    },
    {
      broken: 'a gRPC Service with a cluster IP (not headless)',
      file: 'deploy/k8s/users.yaml',
      change: (text: string) => text.replace('  clusterIP: None\n', ''),
      names: /Service\/users-grpc: USERS_GRPC_TARGET needs a headless Service \(clusterIP: None\)/,
    },
    {
      broken: 'a gRPC Service that publishes pods that are not ready',
      file: 'deploy/k8s/orders.yaml',
      change: (text: string) =>
        text.replace('  clusterIP: None\n', '  clusterIP: None\n  publishNotReadyAddresses: true\n'),
      names:
        /Service\/orders-grpc: publishNotReadyAddresses would send the gateway's calls to orders pods that are not ready/,
    },
    {
      broken: "a gRPC Service selecting another app's pods",
      file: 'deploy/k8s/users.yaml',
      change: (text: string) =>
        text.replace(
          '  clusterIP: None\n  selector:\n    app.kubernetes.io/name: users',
          '  clusterIP: None\n  selector:\n    app.kubernetes.io/name: orders',
        ),
      names: /Service\/users-grpc: must select the pods of users alone \(selects orders\)/,
    },
    {
      broken: 'a gRPC target on a port its Service does not declare',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace('svc.cluster.local:50052', 'svc.cluster.local:50053'),
      names: /Service\/orders-grpc: declares no port 50053 \(ORDERS_GRPC_TARGET\)/,
    },
    {
      broken: "a headless Service's port leading to another container port",
      file: 'deploy/k8s/users.yaml',
      change: (text: string) =>
        text.replace('port: 50051\n      targetPort: grpc', 'port: 50051\n      targetPort: management'),
      names: /Service\/users-grpc: port 50051 must lead to the containerPort "grpc" of users/,
    },
    {
      broken: 'a gRPC port variable that disagrees with the container port',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace("USERS_GRPC_PORT: '50051'", "USERS_GRPC_PORT: '50061'"),
      names: /Deployment\/users: port "grpc" is 50051, USERS_GRPC_PORT in the ConfigMap is 50061/,
    },
    {
      broken: 'gRPC servers bound to the loopback interface',
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace('GRPC_HOST: 0.0.0.0', 'GRPC_HOST: 127.0.0.1'),
      names: /the gRPC servers would bind 127\.0\.0\.1/,
    },
    {
      broken: "no egress for the gateway to a service's gRPC port",
      file: 'deploy/k8s/networkpolicies.yaml',
      change: (text: string) => text.replace('port: 50052', 'port: 50053'),
      names: /no egress rule lets gateway reach orders on 50052/,
    },
    {
      broken: "no ingress for the gateway on the services' gRPC port",
      file: 'deploy/k8s/networkpolicies.yaml',
      change: (text: string) =>
        text.replace(
          /(app\.kubernetes\.io\/name: gateway\n\s+ports:\n\s+- protocol: TCP\n\s+port: )grpc/,
          '$1management',
        ),
      names: /no ingress rule lets gateway into users on 50051/,
    },
    {
      broken: 'a gRPC port open to pods other than the gateway',
      file: 'deploy/k8s/networkpolicies.yaml',
      change: (text: string) =>
        text.replace(
          /app\.kubernetes\.io\/name: gateway(\n\s+ports:\n\s+- protocol: TCP\n\s+port: grpc)/,
          'app.kubernetes.io/part-of: nest-ddd$1',
        ),
      names: /opens the gRPC port 50051 of users to users, orders, payments, pgbouncer: only the gateway may call it/,
    },
    {
      broken: 'docker compose switching one app to gRPC without the others',
      file: 'docker-compose.yml',
      change: (text: string) =>
        text.replace(
          '<<: [*app-env, *db-env, *rpc-env]\n      ORDERS_GRPC_PORT',
          '<<: [*app-env, *db-env]\n      ORDERS_GRPC_PORT',
        ),
      names: /RPC_TRANSPORT must be the same for gateway, users, orders, payments: .*orders \(unset\)/,
    },
    {
      broken: 'an RPC_TRANSPORT default the apps do not know (docker compose)',
      file: 'docker-compose.yml',
      change: (text: string) => text.replace('${RPC_TRANSPORT:-amqp}', '${RPC_TRANSPORT:-rabbitmq}'),
      names: /docker-compose\.yml: RPC_TRANSPORT "rabbitmq" is not a transport/,
    },
    {
      broken: "docker compose's gateway without a gRPC target",
      file: 'docker-compose.yml',
      change: (text: string) => text.replace('      ORDERS_GRPC_TARGET: dns:///orders:50052\n', ''),
      names: /docker-compose\.yml gateway: no ORDERS_GRPC_TARGET/,
    },
    {
      broken: 'a docker compose gRPC target naming another service',
      file: 'docker-compose.yml',
      change: (text: string) =>
        text.replace('ORDERS_GRPC_TARGET: dns:///orders:50052', 'ORDERS_GRPC_TARGET: dns:///order:50052'),
      names: /ORDERS_GRPC_TARGET names order, not the service orders/,
    },
    {
      broken: 'a docker compose gRPC target on the wrong port',
      file: 'docker-compose.yml',
      change: (text: string) =>
        text.replace('USERS_GRPC_TARGET: dns:///users:50051', 'USERS_GRPC_TARGET: dns:///users:50052'),
      names: /USERS_GRPC_TARGET dials port 50052; users serves gRPC on 50051 \(USERS_GRPC_PORT\)/,
    },
    {
      broken: 'docker compose gRPC servers bound to the loopback interface',
      file: 'docker-compose.yml',
      change: (text: string) => text.replace('GRPC_HOST: 0.0.0.0', 'GRPC_HOST: 127.0.0.1'),
      names: /docker-compose\.yml users: its gRPC server would bind 127\.0\.0\.1/,
    },
    // payments, a service like the others: every check enumerates it (deploy-checks/apps.mjs).
    {
      broken: 'payments without its database in PgBouncer',
      file: 'deploy/k8s/pgbouncer/pgbouncer.ini',
      change: (text: string) => text.replace(/^payments = .*\n/m, ''),
      names: /pgbouncer\.ini: \[databases\] has no payments \(PAYMENTS_DB_NAME\)/,
    },
    {
      broken: "payments' HPA maximum beyond the Postgres connection budget",
      file: 'deploy/k8s/payments.yaml',
      change: (text: string) => text.replace('maxReplicas: 3', 'maxReplicas: 4'),
      names: /68 Postgres connections \(2 PgBouncer pods x 34\) exceed the 67 left of max_connections 100/,
    },
    {
      broken: 'payments without an HPA',
      file: 'deploy/k8s/payments.yaml',
      change: (text: string) => text.replace(/---\napiVersion: autoscaling\/v2[\s\S]*?(?=---)/, ''),
      names: /Deployment\/payments: no HorizontalPodAutoscaler targets it/,
    },
    {
      broken: "payments loading orders' Secret",
      file: 'deploy/k8s/payments.yaml',
      change: (text: string) => text.replace('name: nest-ddd-payments-secrets', 'name: nest-ddd-orders-secrets'),
      names: /Deployment\/payments container payments: loads nest-ddd-orders-secrets, the Secret of orders/,
    },
    {
      broken: "payments' management port disagreeing with PAYMENTS_HTTP_PORT",
      file: 'deploy/k8s/configmap.yaml',
      change: (text: string) => text.replace("PAYMENTS_HTTP_PORT: '3003'", "PAYMENTS_HTTP_PORT: '3004'"),
      names: /port "management" is 3003, PAYMENTS_HTTP_PORT in the ConfigMap is 3004/,
    },
    {
      broken: 'a payments gRPC Service with a cluster IP (not headless)',
      file: 'deploy/k8s/payments.yaml',
      change: (text: string) => text.replace('  clusterIP: None\n', ''),
      names: /Service\/payments-grpc: PAYMENTS_GRPC_TARGET needs a headless Service \(clusterIP: None\)/,
    },
    {
      broken: 'no egress for the gateway to the payments gRPC port',
      file: 'deploy/k8s/networkpolicies.yaml',
      change: (text: string) => text.replace('port: 50053', 'port: 50054'),
      names: /no egress rule lets gateway reach payments on 50053/,
    },
    {
      broken: 'payments left out of the services NetworkPolicy (no ingress for its gRPC port)',
      file: 'deploy/k8s/networkpolicies.yaml',
      change: (text: string) =>
        text.replace('values: [users, orders, payments]\n  policyTypes', 'values: [users, orders]\n  policyTypes'),
      names: /no ingress rule lets gateway into payments on 50053/,
    },
    {
      broken: "docker compose's gateway without the payments gRPC target",
      file: 'docker-compose.yml',
      change: (text: string) => text.replace('      PAYMENTS_GRPC_TARGET: dns:///payments:50053\n', ''),
      names: /docker-compose\.yml gateway: no PAYMENTS_GRPC_TARGET/,
    },
    {
      broken: 'docker compose leaving payments on another RPC transport',
      file: 'docker-compose.yml',
      change: (text: string) =>
        text.replace(
          '<<: [*app-env, *db-env, *rpc-env]\n      PAYMENTS_GRPC_PORT',
          '<<: [*app-env, *db-env]\n      PAYMENTS_GRPC_PORT',
        ),
      names: /RPC_TRANSPORT must be the same for gateway, users, orders, payments: .*payments \(unset\)/,
    },
    {
      broken: 'Prometheus not scraping payments',
      file: 'deploy/observability/prometheus.yml',
      change: (text: string) => text.replace("['payments:3003']", "['payments:3002']"),
      names: /prometheus\.yml: does not scrape payments:3003/,
    },
    {
      broken: 'an RPC_TRANSPORT in .env.example the apps do not know',
      file: '.env.example',
      change: (text: string) => text.replace('RPC_TRANSPORT=amqp', 'RPC_TRANSPORT=http'),
      names: /\.env\.example: RPC_TRANSPORT "http" is not a transport/,
    },
    {
      broken: 'a gRPC target in .env.example without the dns scheme',
      file: '.env.example',
      change: (text: string) =>
        text.replace('USERS_GRPC_TARGET=dns:///127.0.0.1:50051', 'USERS_GRPC_TARGET=127.0.0.1:50051'),
      names: /\.env\.example: USERS_GRPC_TARGET "127\.0\.0\.1:50051" must read dns:\/\/\/<host>:<port>/,
    },
  ])('fails on $broken', ({ file, change, names }) => {
    const { status, output } = validate(copyWith((edit) => edit(file, change)));
    expect(output).toMatch(names);
    expect(status).toBe(1);
  });
});
