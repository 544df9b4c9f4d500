import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Readiness } from '../health/readiness.js';
import { metricsRegistry } from '../metrics/app-metrics.js';
import { closeAfterApp, type LateCloser } from '../start/graceful-shutdown.js';

interface Answer {
  status: number;
  type: string;
  body: string;
}

const json = (status: number, body: unknown): Answer => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

/** A scrape or a probe is answered in milliseconds; a client slower than this is dropped. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The management port of the gateway and the monolith (MANAGEMENT_PORT): `/metrics` and the
 * detailed `/health/live` and `/health/ready` (with the reasons, which the public port only
 * logs), for the cluster only (Prometheus, the kubelet). A bare `node:http` server beside the
 * app's Fastify: none of the public pipeline (limits, auth, security headers, CORS, access log,
 * HTTP metrics) runs here, so a scrape costs the scrape and a probe the checks.
 *
 * It outlives the app's own close: the graceful shutdown closes it last (`close()`), so readiness
 * answers 503 here through the whole drain.
 */
@Injectable()
export class ManagementServer implements OnApplicationShutdown, LateCloser {
  private readonly logger = new Logger('Management');
  private server: Server | null = null;
  private closing = false;
  private heldOpen = false;
  private unregister: () => void = () => undefined;

  constructor(private readonly readiness: Readiness) {}

  private readonly routes: Record<string, () => Promise<Answer>> = {
    '/metrics': async () => ({
      status: 200,
      type: metricsRegistry.contentType,
      body: await metricsRegistry.metrics(),
    }),
    '/health/live': async () => json(200, await this.readiness.live()),
    '/health/ready': async () => {
      const { ready, result } = await this.readiness.ready();
      return json(ready ? 200 : 503, result);
    },
  };

  /** Listens on `host:port`; rejects (naming the address) if it cannot, e.g. when the port is taken. */
  async listen(port: number, host: string): Promise<void> {
    if (this.server) throw new Error('the management server is already listening');
    const server = createServer((request, response) => void this.answer(request, response));
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = REQUEST_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new Error(`management port: cannot listen on ${host}:${port}: ${error.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.unregister = closeAfterApp(this);
    this.logger.log(`/metrics and /health (with reasons) on ${this.url()}`);
  }

  /** `http://host:port` of the listening server. */
  url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the management server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Stops listening, lets answers in progress finish (each with `Connection: close`), and resolves once closed. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server || this.closing) return;
    this.closing = true;
    this.unregister();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    this.server = null;
  }

  /**
   * Called by the graceful shutdown as its drain begins; it calls `close()` after `app.close()`,
   * so the drain's 503 stays visible here to the end. Otherwise (tests, a failed start) this
   * server closes with the app.
   */
  stayOpenThroughAppClose(): void {
    this.heldOpen = true;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.heldOpen) await this.close();
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const route = Object.hasOwn(this.routes, path) ? this.routes[path] : undefined;
    let answer: Answer;
    if (!route) {
      answer = json(404, { statusCode: 404, message: `${path} is not served on the management port` });
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      answer = json(405, { statusCode: 405, message: `${request.method} is not allowed` });
    } else {
      answer = await route().catch((error: unknown) => {
        this.logger.warn(`${path} failed: ${error instanceof Error ? error.message : String(error)}`);
        return json(500, { statusCode: 500, message: `${path} failed, see the log` });
      });
    }
    if (this.closing) response.setHeader('connection', 'close');
    response.writeHead(answer.status, {
      'content-type': answer.type,
      'content-length': Buffer.byteLength(answer.body),
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }
}
