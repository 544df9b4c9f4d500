import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { validateEnv } from '@app/platform';
import { GatewayEnv } from './gateway.env.js';

const validate = validateEnv(GatewayEnv);

describe('GatewayEnv: MANAGEMENT_PORT', () => {
  it('defaults to 9000, beside the public 3000', () => {
    expect(validate({})).toMatchObject({ GATEWAY_PORT: 3000, MANAGEMENT_PORT: 9000 });
    expect(validate({ MANAGEMENT_PORT: '9100' }).MANAGEMENT_PORT).toBe(9100);
  });

  it.each(['0', '65536', '90o0', '9000.5', '-1'])('refuses %j like any port, naming the variable', (value) => {
    expect(() => validate({ MANAGEMENT_PORT: value })).toThrow(
      new RegExp(`^Invalid environment: MANAGEMENT_PORT: .*\\(got "${value.replace('.', '\\.')}"\\)$`),
    );
  });

  it('refuses the public port: both listeners would need it', () => {
    expect(() => validate({ GATEWAY_PORT: '8080', MANAGEMENT_PORT: '8080' })).toThrow(
      'Invalid environment: MANAGEMENT_PORT: must differ from GATEWAY_PORT (both are 8080) (got "8080")',
    );
    expect(() => validate({ MANAGEMENT_PORT: '3000' })).toThrow(/MANAGEMENT_PORT: must differ from GATEWAY_PORT/);
  });
});

describe('GatewayEnv: RPC_TRANSPORT and the gRPC targets', () => {
  it('defaults to RabbitMQ, with targets on the services’ default gRPC ports', () => {
    expect(validate({})).toMatchObject({
      RPC_TRANSPORT: 'amqp',
      USERS_GRPC_TARGET: 'dns:///127.0.0.1:50051',
      ORDERS_GRPC_TARGET: 'dns:///127.0.0.1:50052',
    });
  });

  it.each(['dns:///users:50051', 'dns://10.0.0.10:53/users.prod.svc.cluster.local:50051', 'users:50051'])(
    'takes the target %j',
    (target) => {
      expect(validate({ RPC_TRANSPORT: 'grpc', USERS_GRPC_TARGET: target }).USERS_GRPC_TARGET).toBe(target);
    },
  );

  it('refuses a transport it has not', () => {
    expect(() => validate({ RPC_TRANSPORT: 'http' })).toThrow(/^Invalid environment: RPC_TRANSPORT: /);
  });

  it.each(['dns:///users', 'http://users:50051', 'users'])('refuses the target %j, naming the variable', (target) => {
    expect(() => validate({ ORDERS_GRPC_TARGET: target })).toThrow(
      /^Invalid environment: ORDERS_GRPC_TARGET: must be dns:\/\/\/<host>:<port>/,
    );
  });
});
