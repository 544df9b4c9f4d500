#!/usr/bin/env node
/**
 * One RabbitMQ user per app, allowed only what that app does on the broker (README, "Broker users").
 *
 *   BROKER_GATEWAY_PASSWORD=... BROKER_USERS_PASSWORD=... BROKER_ORDERS_PASSWORD=... BROKER_PAYMENTS_PASSWORD=... \
 *     node scripts/broker-users.mjs [--vhost /] [--prefix ''] [--user-prefix nest-ddd-]
 *
 * Applies with `rabbitmqctl` on the broker host (RABBITMQCTL="docker compose exec -T rabbitmq
 * rabbitmqctl" or "kubectl exec -i rabbitmq-0 -- rabbitmqctl" elsewhere). Idempotent: a user that
 * exists gets its password and permissions set again. Prints each step.
 *
 *   --plan               print the users and their permission regexes as JSON, change nothing
 *   --definitions FILE   write them as a RabbitMQ definitions file instead (salted SHA-256 password
 *                        hashes), for `load_definitions` at boot or `rabbitmqctl import_definitions`;
 *                        BROKER_ADMIN_PASSWORD adds an administrator (the broker's guest is not kept)
 *   --delete             remove the four users
 *
 * --prefix is the apps' AMQP_PREFIX: every queue and exchange name the regexes allow starts with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    vhost: { type: 'string', default: '/' },
    prefix: { type: 'string', default: '' },
    'user-prefix': { type: 'string', default: 'nest-ddd-' },
    plan: { type: 'boolean', default: false },
    definitions: { type: 'string' },
    delete: { type: 'boolean', default: false },
  },
});

/** `users.rpc` → `^<prefix>users\.rpc$`: names are matched as regexes, so dots are escaped. */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What each app does on the broker, and so what its user may do. Keep in step with libs/contracts and libs/messaging. */
export function brokerPermissions(prefix) {
  const p = escape(prefix);
  const events = `${p}events`;
  /** A service's own queues: `<service>.rpc`, `<service>.events` and its `.dlq` and `.retry.<n>ms` (and any later `<service>.*`). */
  const own = (service) => `${p}${service}\\..*`;
  const service = (name) => ({
    // Declare its own queues and the events exchange (assertExchange is idempotent but needs configure).
    configure: `^(${own(name)}|${events})$`,
    // Publish events to the exchange; bind its queue (write on the queue); answer RPCs and send
    // retries through the default exchange (direct reply-to and sendToQueue go through it).
    write: `^(${own(name)}|${events}|amq\\.default)$`,
    // Consume its own queues; bind them to the exchange (read on the exchange).
    read: `^(${own(name)}|${events})$`,
    // Topic permissions on the events exchange: publish only the routing keys it owns (`<service>.*`).
    topic: { exchange: `${prefix}events`, write: `^${name}\\.`, read: '.*' },
  });
  return {
    gateway: {
      // Declares nothing: the services declare their RPC queues. Sends requests through the
      // default exchange, and reads replies by direct reply-to.
      configure: '^$',
      write: '^amq\\.default$',
      read: '^amq\\.rabbitmq\\.reply-to$',
      topic: { exchange: `${prefix}events`, write: '^$', read: '^$' },
    },
    users: service('users'),
    orders: service('orders'),
    payments: service('payments'),
  };
}

const APPS = ['gateway', 'users', 'orders', 'payments'];
const userName = (app) => `${args['user-prefix']}${app}`;
const passwordVariable = (app) => `BROKER_${app.toUpperCase()}_PASSWORD`;

function passwordOf(app) {
  const password = process.env[passwordVariable(app)];
  if (!password || password === 'guest' || password.length < 12) {
    console.error(`${passwordVariable(app)} must be set, at least 12 characters (the ${app} broker password)`);
    process.exit(2);
  }
  return password;
}

function rabbitmqctl(...commandArgs) {
  const [command, ...prefixArgs] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(/\s+/).filter(Boolean);
  return execFileSync(command, [...prefixArgs, ...commandArgs], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The broker's user names (one rabbitmqctl call: each one starts an Erlang VM, about a second). */
function existingUsers() {
  return new Set(
    rabbitmqctl('list_users', '--quiet', '--no-table-headers')
      .split('\n')
      .map((line) => line.split('\t')[0]),
  );
}

/** RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt. */
function passwordHash(password) {
  const salt = randomBytes(4);
  return Buffer.concat([salt, createHash('sha256').update(salt).update(password, 'utf8').digest()]).toString('base64');
}

const permissions = brokerPermissions(args.prefix);
const vhost = args.vhost;

if (args.plan) {
  console.log(
    JSON.stringify({ vhost, users: Object.fromEntries(APPS.map((app) => [userName(app), permissions[app]])) }, null, 2),
  );
} else if (args.definitions) {
  const users = APPS.map((app) => ({
    name: userName(app),
    password_hash: passwordHash(passwordOf(app)),
    hashing_algorithm: 'rabbit_password_hashing_sha256',
    tags: [],
  }));
  if (process.env.BROKER_ADMIN_PASSWORD) {
    users.push({
      name: `${args['user-prefix']}admin`,
      password_hash: passwordHash(process.env.BROKER_ADMIN_PASSWORD),
      hashing_algorithm: 'rabbit_password_hashing_sha256',
      tags: ['administrator'],
    });
  }
  const definitions = {
    users,
    vhosts: [{ name: vhost }],
    permissions: [
      ...APPS.map((app) => {
        const { configure, write, read } = permissions[app];
        return { user: userName(app), vhost, configure, write, read };
      }),
      ...(process.env.BROKER_ADMIN_PASSWORD
        ? [{ user: `${args['user-prefix']}admin`, vhost, configure: '.*', write: '.*', read: '.*' }]
        : []),
    ],
    topic_permissions: APPS.map((app) => {
      const { exchange, write, read } = permissions[app].topic;
      return { user: userName(app), vhost, exchange, write, read };
    }),
  };
  mkdirSync(dirname(args.definitions), { recursive: true });
  // Readable by the broker's container user (a bind mount keeps the host's owner): it holds salted
  // hashes, no password; keep it out of git (.data is ignored).
  writeFileSync(args.definitions, `${JSON.stringify(definitions, null, 2)}\n`, { mode: 0o644 });
  console.log(`wrote ${args.definitions}: users ${users.map((u) => u.name).join(', ')} on vhost ${vhost}`);
} else if (args.delete) {
  const existing = existingUsers();
  for (const app of APPS) {
    const name = userName(app);
    if (existing.has(name)) {
      rabbitmqctl('delete_user', name);
      console.log(`deleted user ${name}`);
    } else {
      console.log(`user ${name} does not exist`);
    }
  }
} else {
  const passwords = Object.fromEntries(APPS.map((app) => [app, passwordOf(app)]));
  const existing = existingUsers();
  for (const app of APPS) {
    const name = userName(app);
    // The password through stdin: on the command line it would show in the process list.
    if (existing.has(name)) {
      execStdin(['change_password', name], passwords[app]);
      rabbitmqctl('set_user_tags', name); // no management or administrator tag, whatever was given since
      console.log(`user ${name}: exists, password set`);
    } else {
      execStdin(['add_user', name], passwords[app]);
      console.log(`user ${name}: created`);
    }
    const { configure, write, read, topic } = permissions[app];
    rabbitmqctl('set_permissions', '-p', vhost, name, configure, write, read);
    console.log(`  permissions on vhost ${vhost}: configure ${configure}  write ${write}  read ${read}`);
    rabbitmqctl('set_topic_permissions', '-p', vhost, name, topic.exchange, topic.write, topic.read);
    console.log(`  topic permissions on exchange ${topic.exchange}: write ${topic.write}  read ${topic.read}`);
  }
  console.log(
    `done. Give each app its own AMQP_URL (amqp://${userName('users')}:<password>@<host>:5672/${encodeURIComponent(vhost === '/' ? '' : vhost)}), ` +
      'then remove or lock the guest user (rabbitmqctl delete_user guest).',
  );
}

/** rabbitmqctl with the password read from stdin (`--silent` keeps it from echoing prompts). */
function execStdin(commandArgs, input) {
  const [command, ...prefixArgs] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(/\s+/).filter(Boolean);
  execFileSync(command, [...prefixArgs, ...commandArgs], {
    input: `${input}\n`,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
