import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from '../free-port.js';

const run = promisify(execFile);

/** RabbitMQ's own start scripts, called directly: the /usr/sbin wrappers drop the environment we set. */
const RABBIT_BIN = '/usr/lib/rabbitmq/bin';
const RABBIT_USER = 'rabbitmq';

/** One node of a test cluster: its name, AMQP port and files. */
export interface RabbitNode {
  name: string;
  port: number;
  distPort: number;
  dir: string;
  url: string;
}

/**
 * A RabbitMQ cluster of its own for the fault suite: `size` nodes on their own ports and data
 * directories (never the machine's `rabbit@<host>` on 5672), joined to the first one. The nodes
 * run as the `rabbitmq` user and so share its Erlang cookie with rabbitmqctl. `stop()` ends every
 * node and deletes its data.
 */
export class RabbitCluster {
  readonly id = randomBytes(3).toString('hex');
  readonly root = join(tmpdir(), `rabbit-faults-${this.id}`);
  nodes: RabbitNode[] = [];
  /** How long `start()` took, nodes and joins included. */
  startMs = 0;

  constructor(private readonly size = 3) {}

  async start(): Promise<this> {
    const began = Date.now();
    const ports = await freePorts(this.size * 2);
    mkdirSync(this.root, { recursive: true });
    chownToRabbit(this.root);
    this.nodes = Array.from({ length: this.size }, (_, i) => {
      const name = `rabbit-f${this.id}-${i + 1}@localhost`;
      const port = ports[i * 2]!;
      const dir = join(this.root, `node${i + 1}`);
      return { name, port, distPort: ports[i * 2 + 1]!, dir, url: `amqp://guest:guest@127.0.0.1:${port}` };
    });
    for (const node of this.nodes) this.writeFiles(node);
    await Promise.all(this.nodes.map((node) => this.startNode(node)));
    const [first, ...others] = this.nodes;
    for (const node of others) {
      await ctl(node, 'stop_app');
      await ctl(node, 'join_cluster', first!.name);
      await ctl(node, 'start_app');
    }
    this.startMs = Date.now() - began;
    return this;
  }

  /** Starts a node (again, after `kill` or `stopNode`): it rejoins the cluster from its data. */
  async startNode(node: RabbitNode, timeoutMs = 60_000): Promise<void> {
    await run('su', [RABBIT_USER, '-s', '/bin/sh', '-c', `${RABBIT_BIN}/rabbitmq-server -detached`], {
      env: { ...process.env, ...nodeEnvironment(node) },
    });
    // A detached node registers with epmd a moment later; until then await_startup fails at once.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await ctl(node, 'await_startup', '--timeout', String(Math.ceil(timeoutMs / 1000)));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** SIGKILLs the node's Erlang VM: no goodbye to its peers or its clients. */
  kill(node: RabbitNode): void {
    const pid = Number(readFileSync(join(node.dir, 'rabbit.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
  }

  /** A clean stop of one node. */
  async stopNode(node: RabbitNode): Promise<void> {
    await ctl(node, 'stop').catch(() => undefined);
  }

  /** The node names rabbitmqctl reports as running, seen from `from`. */
  async runningNodes(from: RabbitNode): Promise<string[]> {
    const { stdout } = await ctl(from, 'cluster_status', '--formatter', 'json');
    return (JSON.parse(stdout) as { running_nodes: string[] }).running_nodes;
  }

  /** Stops every node and deletes all their files. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.stopNode(node)));
    for (const node of this.nodes) {
      const pidFile = join(node.dir, 'rabbit.pid');
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  private writeFiles(node: RabbitNode): void {
    for (const sub of ['', 'mnesia', 'log']) mkdirSync(join(node.dir, sub), { recursive: true });
    writeFileSync(
      join(node.dir, 'rabbitmq.conf'),
      [`listeners.tcp.local = 127.0.0.1:${node.port}`, 'loopback_users = none', ''].join('\n'),
    );
    writeFileSync(join(node.dir, 'enabled_plugins'), '[].\n');
    for (const path of ['', 'mnesia', 'log', 'rabbitmq.conf', 'enabled_plugins']) chownToRabbit(join(node.dir, path));
  }
}

function nodeEnvironment(node: RabbitNode): Record<string, string> {
  return {
    RABBITMQ_NODENAME: node.name,
    RABBITMQ_NODE_PORT: String(node.port),
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_CONFIG_FILE: join(node.dir, 'rabbitmq.conf'),
    RABBITMQ_MNESIA_BASE: join(node.dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(node.dir, 'log'),
    RABBITMQ_PID_FILE: join(node.dir, 'rabbit.pid'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(node.dir, 'enabled_plugins'),
  };
}

/** rabbitmqctl against one node, as the rabbitmq user (whose cookie the nodes use). */
function ctl(node: RabbitNode, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const command = [`${RABBIT_BIN}/rabbitmqctl`, '-n', node.name, ...args].map(shellQuote).join(' ');
  return run('su', [RABBIT_USER, '-s', '/bin/sh', '-c', command], { timeout: 120_000 });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function chownToRabbit(path: string): void {
  const { uid, gid } = rabbitIds();
  chownSync(path, uid, gid);
}

let ids: { uid: number; gid: number } | null = null;
function rabbitIds(): { uid: number; gid: number } {
  if (!ids) {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${RABBIT_USER}:`));
    if (!line) throw new Error('no rabbitmq user on this machine');
    const [, , uid, gid] = line.split(':');
    ids = { uid: Number(uid), gid: Number(gid) };
  }
  return ids;
}
