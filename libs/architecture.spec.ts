import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTEXTS, checkContextFile, formatViolation, type RuleName } from './architecture-rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sourcesOf(context: string): { path: string; source: string }[] {
  const dir = `libs/${context}/src`;
  return readdirSync(`${root}${dir}`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `${dir}/${file.split('\\').join('/')}`)
    .map((path) => ({ path, source: readFileSync(`${root}${path}`, 'utf8') }));
}

/** The rules one in-memory file breaks, so each self-test names exactly the rule it proves. */
function rulesBroken(path: string, source: string): RuleName[] {
  return checkContextFile({ path, source }).map((v) => v.rule);
}

const usersFile = 'libs/users/src/interface/rpc/users.rpc-controller.ts';
const ordersFile = 'libs/orders/src/interface/rpc/orders.rpc-controller.ts';

describe('bounded contexts know no transport and no other context', () => {
  describe.each(CONTEXTS)('%s', (context) => {
    it('imports no transport, transport adapter or other context', () => {
      const files = sourcesOf(context);
      // Guards against a moved folder turning this into a scan of nothing.
      expect(files.map((f) => f.path)).toContain(`libs/${context}/src/${context}.module.ts`);
      expect(files.flatMap(checkContextFile).map(formatViolation)).toEqual([]);
    });
  });
});

describe('the architecture rules', () => {
  describe('no-transport-library', () => {
    it.each([
      `import amqp from 'amqplib';`,
      `import type { Channel } from 'amqplib/lib/channel_model.js';`,
      `import 'amqp-connection-manager';`,
      `export { Kafka } from 'kafkajs';`,
      `const nats = require('nats');`,
      `type Redis = import('ioredis').Redis;`,
    ])('refuses %s', (source) => {
      expect(rulesBroken(usersFile, source)).toEqual(['no-transport-library']);
    });
  });

  describe('microservices-handler-side-only', () => {
    it.each([
      `import { ClientProxy } from '@nestjs/microservices';`,
      `import { ClientsModule, Transport } from '@nestjs/microservices';`,
      `import { ClientProxyFactory as Factory } from '@nestjs/microservices';`,
      `import { Client, ClientRMQ } from '@nestjs/microservices';`,
      `import { ServerRMQ } from '@nestjs/microservices';`,
      `import { type RmqContext } from '@nestjs/microservices';`,
      `import type { ClientProxy } from '@nestjs/microservices';`,
      `import * as ms from '@nestjs/microservices';`,
      `export * from '@nestjs/microservices';`,
      `const ms = await import('@nestjs/microservices');`,
      `import { ClientProxy } from '@nestjs/microservices/client/index.js';`,
    ])('refuses %s', (source) => {
      expect(rulesBroken(usersFile, source)).toContain('microservices-handler-side-only');
    });

    it('names each forbidden binding in the message', () => {
      const [violation] = checkContextFile({
        path: usersFile,
        source: `import { MessagePattern } from '@nestjs/microservices';\nimport { Payload, ClientProxy } from '@nestjs/microservices';`,
      });
      expect(violation && formatViolation(violation)).toBe(
        `${usersFile}:2 imports '@nestjs/microservices': ClientProxy is transport-side [microservices-handler-side-only]`,
      );
    });
  });

  describe('messaging-transport-neutral-only', () => {
    it.each([
      `import { AmqpConnection } from '@app/messaging';`,
      `import { AmqpModule, prefixed } from '@app/messaging';`,
      `import { amqpOptionsFrom } from '@app/messaging';`,
      `import { InProcessBus } from '@app/messaging';`,
      `import { AmqpRpcServer } from '@app/messaging';`,
      `import { RpcClient, ResilientRpcClient } from '@app/messaging';`,
      `import { EventTransport } from '@app/messaging';`,
      `import { serviceInfrastructure, EventsModule } from '@app/messaging';`,
      `import { OutboxRelay } from '@app/messaging';`,
      `import * as messaging from '@app/messaging';`,
      `import { AmqpConnection } from '../../../../messaging/src/index.js';`,
      `import { AmqpConnection } from '../../../../messaging/src/amqp/amqp-connection.js';`,
      `import '../../../../messaging/src/in-process/in-process.module.js';`,
      `import { AmqpConnection } from '@app/messaging/amqp/amqp-connection.js';`,
      `import { AmqpConnection } from '@app/messaging/src/amqp/amqp-connection.js';`,
    ])('refuses %s', (source) => {
      expect(rulesBroken(usersFile, source)).toContain('messaging-transport-neutral-only');
    });
  });

  describe('no-other-context', () => {
    it.each([
      ['libs/users/src/users.module.ts', `import '../../orders/src/domain/order.aggregate.js';`],
      [
        'libs/users/src/domain/user.aggregate.ts',
        `import { Order } from '../../../orders/src/domain/order.aggregate.js';`,
      ],
      [usersFile, `import { OrdersModule } from '@app/orders';`],
      [usersFile, `export type { OrderResponse } from '@app/orders';`],
      [usersFile, `const { OrdersModule } = await import('@app/orders');`],
      [ordersFile, `import { UsersModule } from '@app/users';`],
      [ordersFile, `import type { User } from '../../../../users/src/domain/user.aggregate.js';`],
    ])('refuses from %s: %s', (path, source) => {
      expect(rulesBroken(path, source)).toEqual(['no-other-context']);
    });
  });

  it('accepts what a context legitimately imports', () => {
    const source = [
      `import { MessagePattern, Payload, EventPattern, Ctx, RpcException } from '@nestjs/microservices';`,
      `import { EventSubscriptions, subscribe, OutboxWriter, RpcErrorFilter, parseUuid } from '@app/messaging';`,
      `import type { OutboxMessage } from '@app/messaging';`,
      `import { AggregateRoot } from '@app/ddd';`,
      `import { UserResponse } from '@app/contracts';`,
      `import { UsersModule } from '@app/users';`,
      `import { User } from '../../domain/user.aggregate.js';`,
      `import { Module } from '@nestjs/common';`,
      `const later = await import('../../application/index.js');`,
    ].join('\n');
    expect(checkContextFile({ path: usersFile, source })).toEqual([]);
  });

  it('refuses to check a file outside the contexts rather than pass it', () => {
    expect(() => checkContextFile({ path: 'libs/messaging/src/index.ts', source: '' })).toThrow(/not in a bounded/);
  });
});
