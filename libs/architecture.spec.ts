import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  HOST_FOLDER,
  MESSAGING_ENTRIES,
  TRANSPORT_FOLDERS,
  checkFile,
  formatViolation,
  type RuleName,
  type SourceFile,
} from './architecture-rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

function sourcesUnder(dir: string): SourceFile[] {
  return readdirSync(`${root}${dir}`, { recursive: true, encoding: 'utf8' })
    .map((file) => `${dir}/${file.split('\\').join('/')}`)
    .filter((path) => path.endsWith('.ts') && !path.includes('/node_modules/'))
    .map((path) => ({ path, source: read(path) }));
}

/** The rules one in-memory file breaks, so each self-test names exactly the rule it proves. */
function rulesBroken(path: string, source: string): RuleName[] {
  return checkFile({ path, source }).map((v) => v.rule);
}

const MESSAGING = 'libs/messaging/src';
const usersFile = 'libs/users/src/interface/rpc/users.rpc-controller.ts';
const ordersFile = 'libs/orders/src/interface/rpc/orders.rpc-controller.ts';
const neutralFile = `${MESSAGING}/outbox/outbox-relay.ts`;
const amqpFile = `${MESSAGING}/amqp/amqp-rpc.server.ts`;
const grpcFile = `${MESSAGING}/grpc/grpc-rpc.server.ts`;
const rootIndex = `${MESSAGING}/index.ts`;
const gatewayFile = 'apps/gateway/src/rpc/service-clients.ts';

describe('the repository', () => {
  const files = ['apps', 'libs', 'test'].flatMap(sourcesUnder);
  const folders = readdirSync(`${root}${MESSAGING}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const ownEntries = [...TRANSPORT_FOLDERS, HOST_FOLDER];

  it('breaks no architecture rule', () => {
    // Guards against a moved folder turning this into a scan of nothing.
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'libs/users/src/users.module.ts',
        'libs/orders/src/orders.module.ts',
        rootIndex,
        `${MESSAGING}/amqp/amqp-connection.ts`,
        `${MESSAGING}/host/service-host.ts`,
        'apps/gateway/src/main.ts',
        'test/support/amqp-test-kit.ts',
      ]),
    );
    expect(files.flatMap(checkFile).map(formatViolation)).toEqual([]);
  });

  it('gives each messaging folder an index, and @app/messaging re-exports every neutral one', () => {
    expect(folders.filter((folder) => !existsSync(`${root}${MESSAGING}/${folder}/index.ts`))).toEqual([]);
    const reexported = ts.preProcessFile(read(rootIndex)).importedFiles.map((f) => f.fileName);
    const neutral = folders.filter((folder) => !ownEntries.includes(folder));
    expect(reexported.sort()).toEqual(neutral.map((folder) => `./${folder}/index.js`).sort());
  });

  it('maps each transport and the host, and only them, to its own entry', () => {
    const { paths } = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile).config.compilerOptions;
    const messagingPaths = Object.keys(paths).filter((alias) => alias.startsWith('@app/messaging'));
    expect(messagingPaths.sort()).toEqual([...MESSAGING_ENTRIES].sort());
    for (const folder of ownEntries) {
      expect(paths[`@app/messaging/${folder}`]).toEqual([`./${MESSAGING}/${folder}/index.ts`]);
    }
  });
});

describe('the architecture rules', () => {
  describe('no-transport-library', () => {
    it.each([
      [usersFile, `import amqp from 'amqplib';`],
      [usersFile, `import type { Channel } from 'amqplib/lib/channel_model.js';`],
      [usersFile, `import 'amqp-connection-manager';`],
      [usersFile, `export { Kafka } from 'kafkajs';`],
      [usersFile, `const nats = require('nats');`],
      [usersFile, `type Redis = import('ioredis').Redis;`],
      [ordersFile, `import * as grpc from '@grpc/grpc-js';`],
      [neutralFile, `import type { ConfirmChannel } from 'amqplib';`],
      [neutralFile, `const { credentials } = await import('@grpc/grpc-js');`],
      [`${MESSAGING}/in-flight.ts`, `import { loadSync } from '@grpc/proto-loader';`],
      ['libs/platform/src/health/health.module.ts', `import { connect } from 'amqplib';`],
    ])('refuses from %s: %s', (path, source) => {
      expect(rulesBroken(path, source)).toEqual(['no-transport-library']);
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
      const [violation] = checkFile({
        path: usersFile,
        source: `import { MessagePattern } from '@nestjs/microservices';\nimport { Payload, ClientProxy } from '@nestjs/microservices';`,
      });
      expect(violation && formatViolation(violation)).toBe(
        `${usersFile}:2 imports '@nestjs/microservices': ClientProxy is transport-side [microservices-handler-side-only]`,
      );
    });
  });

  describe('context-sees-messaging-root-only', () => {
    it.each([
      `import { AmqpConnection } from '@app/messaging/amqp';`,
      `import type { GrpcRpcServer } from '@app/messaging/grpc';`,
      `import { InProcessBroker } from '@app/messaging/in-process';`,
      `import { startService } from '@app/messaging/host';`,
      `const { AmqpRpcServer } = await import('@app/messaging/amqp');`,
      `import { RpcClient } from '@app/messaging/rpc';`,
      `import { AmqpConnection } from '@app/messaging/amqp/amqp-connection.js';`,
      `import { AmqpConnection } from '@app/messaging/src/amqp/amqp-connection.js';`,
      `import { OutboxWriter } from '../../../../messaging/src/outbox/outbox-writer.js';`,
      `import '../../../../messaging/src/index.js';`,
    ])('refuses %s', (source) => {
      expect(rulesBroken(usersFile, source)).toEqual(['context-sees-messaging-root-only']);
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

  describe('neutral-knows-no-transport', () => {
    it.each([
      [neutralFile, `import type { AmqpConnection } from '../amqp/amqp-connection.js';`],
      [neutralFile, `import { GrpcRpcClient } from '../grpc/index.js';`],
      [neutralFile, `import { InProcessBroker } from '../in-process/in-process-broker.js';`],
      [neutralFile, `import { startService } from '../host/service-host.js';`],
      [neutralFile, `import { AmqpConnection } from '@app/messaging/amqp';`],
      [`${MESSAGING}/in-flight.ts`, `export { prefixed } from './amqp/amqp-options.js';`],
    ])('refuses from %s: %s', (path, source) => {
      expect(rulesBroken(path, source)).toEqual(['neutral-knows-no-transport']);
    });
  });

  describe('transport-knows-only-neutral', () => {
    it.each([
      [amqpFile, `import { contextInfrastructure } from '../host/service-host.js';`],
      [amqpFile, `import type { InProcessBroker } from '../in-process/in-process-broker.js';`],
      [amqpFile, `import { GrpcRpcClient } from '@app/messaging/grpc';`],
      [grpcFile, `import { AmqpConnection } from '../amqp/index.js';`],
    ])('refuses from %s: %s', (path, source) => {
      expect(rulesBroken(path, source)).toEqual(['transport-knows-only-neutral']);
    });
  });

  describe('messaging-root-index-neutral-only', () => {
    it.each([
      `export * from './amqp/index.js';`,
      `export * from './grpc/index.js';`,
      `export * from './host/index.js';`,
      `export * from './rpc/rpc-client.js';`,
      `export { InFlight } from './in-flight.js';`,
      `export * from '@app/platform';`,
    ])('refuses %s', (source) => {
      expect(rulesBroken(rootIndex, source)).toEqual(['messaging-root-index-neutral-only']);
    });
  });

  describe('messaging-through-its-entries', () => {
    it.each([
      [gatewayFile, `import { AmqpConnection } from '@app/messaging/amqp/amqp-connection.js';`],
      [gatewayFile, `import type { RpcClient } from '@app/messaging/rpc';`],
      [gatewayFile, `import { RpcClient } from '../../../../libs/messaging/src/index.js';`],
      ['test/support/amqp-test-kit.ts', `import { AmqpConnection } from '../../libs/messaging/src/amqp/index.js';`],
      ['libs/platform/src/index.ts', `export * from '@app/messaging/src/outbox/outbox-writer.js';`],
    ])('refuses from %s: %s', (path, source) => {
      expect(rulesBroken(path, source)).toEqual(['messaging-through-its-entries']);
    });
  });

  it.each([
    [
      usersFile,
      `import { MessagePattern, Payload, EventPattern, Ctx, RpcException } from '@nestjs/microservices';
       import { EventSubscriptions, subscribe, OutboxWriter, RpcErrorFilter, ActorVerifier } from '@app/messaging';
       import type { OutboxMessage } from '@app/messaging';
       import { UserResponse } from '@app/contracts';
       import { UsersModule } from '@app/users';
       import { User } from '../../domain/user.aggregate.js';
       const later = await import('../../application/index.js');`,
    ],
    [
      neutralFile,
      `import { InFlight } from '../in-flight.js';
       import type { EventPublisher } from '../events/event-transport.js';
       import { TransactionRunner } from '@app/platform';`,
    ],
    [
      amqpFile,
      `import { connect } from 'amqplib';
       import { answerRpc } from '../rpc/rpc-dispatch.js';
       import { AmqpConnection } from './amqp-connection.js';
       import { Server } from '@nestjs/microservices';`,
    ],
    [grpcFile, `import * as grpc from '@grpc/grpc-js';\nimport { RpcClient } from '../rpc/index.js';`],
    [
      `${MESSAGING}/host/service-host.ts`,
      `import { AmqpRpcServer } from '../amqp/index.js';\nimport { InProcessBroker } from '../in-process/index.js';`,
    ],
    [rootIndex, `export * from './rpc/index.js';\nexport * from './outbox/index.js';`],
    [
      gatewayFile,
      `import type { RpcClient } from '@app/messaging';
       import { AmqpRpcClient } from '@app/messaging/amqp';
       import { GrpcRpcClient } from '@app/messaging/grpc';
       import { InProcessRpcClient } from '@app/messaging/in-process';
       import { startService } from '@app/messaging/host';
       import { Redis } from 'ioredis';`,
    ],
  ])('accepts what %s legitimately imports', (path, source) => {
    expect(checkFile({ path, source })).toEqual([]);
  });

  it('refuses to check a path it cannot place rather than pass it', () => {
    expect(() => checkFile({ path: '/work/libs/users/src/users.module.ts', source: '' })).toThrow(/not a repository/);
    expect(() => checkFile({ path: 'libs\\users\\src\\users.module.ts', source: '' })).toThrow(/not a repository/);
  });
});
