// `@app/messaging/amqp`: RPC and integration events over RabbitMQ, for the hosts that choose it.
export * from './amqp-options.js';
export * from './amqp-connection.js';
export * from './amqp.module.js';
export * from './amqp-rpc.client.js';
export * from './amqp-rpc.server.js';
export * from './amqp-event-transport.js';
export * from './event-topology.js';
export * from './event-consumer.js';
