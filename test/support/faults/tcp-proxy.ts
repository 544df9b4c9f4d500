import net from 'node:net';

/**
 * What the proxy does with traffic:
 * - `pass`: forwards both ways (with `latencyMs` added to every chunk, if set);
 * - `blackhole`: keeps every socket open and forwards nothing (a half-open peer, a dead switch);
 * - `refuse`: resets every new connection at once (a peer that is down).
 */
export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Sends on what a blackhole held back, in order. */
  release: (() => void)[];
}

/**
 * A TCP proxy between an app and RabbitMQ or Postgres, to put faults where the real servers
 * stay untouched: resets, blackholes, latency, connections cut after N bytes.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<Pair>();
  private mode: ProxyMode = 'pass';
  private latencyMs = 0;
  private closeAfterBytes: number | null = null;
  /** Connections accepted since start (a reconnect shows up here). */
  accepted = 0;
  port = 0;

  constructor(
    private target: { host: string; port: number },
    private readonly listenPort = 0,
  ) {}

  async start(): Promise<this> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this;
  }

  get url(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  /** Back to forwarding, for new connections and for the ones a blackhole held. */
  pass(latencyMs = 0): void {
    this.mode = 'pass';
    this.latencyMs = latencyMs;
    this.closeAfterBytes = null;
    for (const pair of this.pairs) {
      for (const release of pair.release) release();
      pair.client.resume();
      pair.upstream.resume();
    }
  }

  /** Keeps the sockets open but moves no byte, either way; `pass()` lets them flow again. */
  blackhole(): void {
    this.mode = 'blackhole';
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream.pause();
    }
  }

  /** Resets every open connection and, until `pass()`, every new one. */
  refuse(): void {
    this.mode = 'refuse';
    this.resetAll();
  }

  /** Resets every open connection; new ones are let through (a broker or network blip). */
  resetAll(): void {
    for (const pair of [...this.pairs]) this.drop(pair);
  }

  /** New connections go to `target` (e.g. another node of a cluster); open ones stay where they are. */
  retarget(target: { host: string; port: number }): void {
    this.target = target;
  }

  /** Each new connection is cut after `bytes` bytes have gone upstream (a write that half-arrives). */
  closeAfter(bytes: number): void {
    this.closeAfterBytes = bytes;
  }

  async stop(): Promise<void> {
    this.resetAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted += 1;
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream, release: [] };
    this.pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const end = () => this.drop(pair);
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    let budget = this.closeAfterBytes;
    this.forward(pair, client, upstream, (length) => {
      if (budget === null) return true;
      budget -= length;
      return budget > 0;
    });
    this.forward(pair, upstream, client, () => true);
    if (this.mode === 'blackhole') {
      client.pause();
      upstream.pause();
    }
  }

  /** Copies `from` into `to`, after the latency, while `allow` says the chunk may go. */
  private forward(pair: Pair, from: net.Socket, to: net.Socket, allow: (length: number) => boolean): void {
    const held: Buffer[] = [];
    pair.release.push(() => {
      for (const chunk of held.splice(0)) to.write(chunk);
    });
    from.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') {
        held.push(chunk); // read just before the pause: held back like the rest, not lost
        return;
      }
      if (!allow(chunk.length)) {
        from.resetAndDestroy();
        to.resetAndDestroy();
        return;
      }
      if (this.latencyMs > 0) setTimeout(() => to.writable && to.write(chunk), this.latencyMs);
      else to.write(chunk);
    });
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}
