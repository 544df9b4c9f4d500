import { Inject, Logger, type INestMicroservice, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay, outboxReadiness } from '@app/messaging';
import { InProcessRpcClient, type InProcessBroker } from '@app/messaging/in-process';
import { DependencyGate, databaseReadiness, type EmbeddedPostgres, type ReadinessCheck } from '@app/platform';
import {
  RPC_CLIENT_FACTORY,
  TRANSPORT_READINESS,
  type GatewayTransport,
  type RpcClientFactory,
} from '../../gateway/src/rpc/service-clients.js';

/** A context running in this process, under the name of its RPC queue's service. */
export interface HostedContext {
  name: string;
  queue: string;
  app: INestMicroservice;
}

interface Hosted {
  contexts: HostedContext[];
  database: EmbeddedPostgres | null;
}

const HOSTED = Symbol('HOSTED');

/**
 * The gateway's transport in the modular monolith: its RPC clients call the contexts through
 * the in-process broker; it is ready when each context's database and RPC queue are. It owns
 * the hosted contexts' lifetime: they close after the gateway's HTTP server has drained
 * (`onApplicationShutdown`), then the embedded database stops.
 */
class InProcessGatewayTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('Monolith');

  constructor(@Inject(HOSTED) private readonly hosted: Hosted) {}

  async onApplicationShutdown(): Promise<void> {
    for (const context of this.hosted.contexts) {
      await context.app.close();
      this.logger.log(`${context.name} context closed`);
    }
    await this.hosted.database?.stop();
  }
}

export function inProcessGatewayTransport(broker: InProcessBroker, hosted: Hosted): GatewayTransport {
  return {
    module: InProcessGatewayTransport,
    global: true,
    providers: [
      { provide: HOSTED, useValue: hosted },
      {
        provide: RPC_CLIENT_FACTORY,
        useValue: (async (queue, timeoutMs) => new InProcessRpcClient(broker, queue, timeoutMs)) as RpcClientFactory,
      },
      {
        provide: TRANSPORT_READINESS,
        useValue: hosted.contexts.flatMap((context) => readinessOf(context, broker)),
      },
    ],
    exports: [RPC_CLIENT_FACTORY, TRANSPORT_READINESS],
  };
}

/** Per context what its service's readiness checks: database (migrated), RPC queue served, outbox lag. */
function readinessOf({ name, queue, app }: HostedContext, broker: InProcessBroker): ReadinessCheck[] {
  const database = databaseReadiness(app.get(DataSource));
  const outbox = outboxReadiness(app.get(OutboxRelay));
  const gate = app.get(DependencyGate);
  return [
    {
      name: `${name}.startup`,
      check: async () => {
        const status = gate.status();
        if (!status.open) throw new Error(`waiting for ${JSON.stringify(status.waitingFor)}`);
      },
    },
    { name: `${name}.database`, check: database.check },
    {
      name: `${name}.rpc`,
      check: async () => {
        if (!broker.isServed(queue)) throw new Error(`${queue} is not served`);
      },
    },
    { name: `${name}.outbox`, check: outbox.check },
  ];
}
