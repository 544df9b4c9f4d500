import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { freePort } from '../../../../test/support/free-port.js';
import { TestDnsServer } from '../../../../test/support/test-dns-server.js';
import type * as Widgets from '../../../../test/support/grpc-widgets.js';
import type { GrpcRpcClient as GrpcRpcClientType } from './grpc-rpc.client.js';

/*
 * Discovery through the real DNS resolver path of grpc-js: a target `dns://<our DNS>/<name>:<port>`
 * whose name our test DNS server answers with the replicas' addresses (127.0.0.2, .3, .4, all
 * on one port), as a headless Service's name answers with its ready pods. grpc-js asks the DNS
 * server of the target's authority only with GRPC_NODE_USE_ALTERNATIVE_RESOLVER=true, read when
 * grpc-js loads: so it is set first, and everything that loads grpc-js is imported afterwards.
 */
process.env.GRPC_NODE_USE_ALTERNATIVE_RESOLVER = 'true';

const NAME = 'widgets.discovery.test';

interface Replica {
  address: string;
  app: INestMicroservice;
}

describe('gRPC discovery: round robin over the addresses of a DNS name', () => {
  let widgets: typeof Widgets;
  let GrpcRpcClient: typeof GrpcRpcClientType;
  let protoPath: string;
  let dns: TestDnsServer;
  let port: number;
  let client: GrpcRpcClientType;
  const replicas: Replica[] = [];

  const startReplica = async (address: string): Promise<Replica> => {
    // A short connection age: clients are told to reconnect, and so to resolve the name again, often.
    const { app } = await widgets.startWidgets({
      protoPath,
      host: address,
      port,
      replica: address,
      maxConnectionAgeMs: 1000,
    });
    const replica = { address, app };
    replicas.push(replica);
    return replica;
  };

  const whoAnswers = async (calls: number): Promise<Map<string, number>> => {
    const seen = new Map<string, number>();
    for (let i = 0; i < calls; i += 1) {
      const { replica } = (await client.send('widgets.context', {})) as { replica: string };
      seen.set(replica, (seen.get(replica) ?? 0) + 1);
    }
    return seen;
  };

  beforeAll(async () => {
    widgets = await import('../../../../test/support/grpc-widgets.js');
    ({ GrpcRpcClient } = await import('./grpc-rpc.client.js'));
    protoPath = widgets.writeWidgetsProto();
    port = await freePort();
    await startReplica('127.0.0.2');
    await startReplica('127.0.0.3');
    dns = await TestDnsServer.start(NAME, ['127.0.0.2', '127.0.0.3']);
    client = new GrpcRpcClient({
      service: 'users',
      definitions: widgets.WIDGET_DEFINITIONS,
      protoPath,
      target: `dns://${dns.authority}/${NAME}:${port}`,
      defaultTimeoutMs: 3000,
      minResolutionIntervalMs: 200,
    });
  });

  afterAll(async () => {
    client?.close();
    for (const replica of replicas) await replica.app.close().catch(() => undefined);
    await dns?.close();
  });

  it('spreads calls over every address the name has', async () => {
    const seen = await whoAnswers(40);
    expect(dns.lookups).toBeGreaterThan(0);
    expect([...seen.keys()].sort()).toEqual(['127.0.0.2', '127.0.0.3']);
    // Round robin: an even share each, give or take the first calls while connections come up.
    expect(Math.min(...seen.values())).toBeGreaterThanOrEqual(15);
  });

  it('drops a replica that stops, with no call failing', async () => {
    const stopping = replicas.find((replica) => replica.address === '127.0.0.2')!;
    const failures: unknown[] = [];
    const answeredBy: string[] = [];
    let stopped = false;
    // Four callers back to back, as the gateway's traffic, while the replica drains and its
    // address leaves the name.
    const callers = Array.from({ length: 4 }, async () => {
      const until = Date.now() + 2500;
      while (Date.now() < until) {
        try {
          await client.send('widgets.slow', { ms: 20 });
          const { replica } = (await client.send('widgets.context', {})) as { replica: string };
          if (stopped) answeredBy.push(replica);
        } catch (error) {
          failures.push(error);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    dns.addresses = ['127.0.0.3'];
    await stopping.app.close();
    stopped = true;
    replicas.splice(replicas.indexOf(stopping), 1);
    await Promise.all(callers);
    expect(failures).toEqual([]);
    expect(answeredBy.length).toBeGreaterThan(20);
    expect(new Set(answeredBy)).toEqual(new Set(['127.0.0.3']));
  });

  it('picks up a replica added to the name once connections age out and the name is resolved again', async () => {
    await startReplica('127.0.0.4');
    dns.addresses = ['127.0.0.3', '127.0.0.4'];
    const until = Date.now() + 8000;
    let seen = new Map<string, number>();
    while (Date.now() < until && !seen.has('127.0.0.4')) {
      seen = await whoAnswers(10);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen.has('127.0.0.4')).toBe(true);
    // Once it is known, it takes its turn.
    const after = await whoAnswers(20);
    expect([...after.keys()].sort()).toEqual(['127.0.0.3', '127.0.0.4']);
  });
});
