import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HostInfrastructure } from '@app/messaging/host';
import { UsersModule } from '@app/users';
import { AdminBootstrap } from './admin-bootstrap.js';
import { USERS_HOST } from './users.host.js';
import type { UsersEnv } from './users.env.js';

/**
 * Composition root of the users context: the same in both shapes; only the infrastructure
 * given (RabbitMQ service, or the monolith's in-process broker) differs.
 */
@Module({})
export class UsersAppModule {
  static on(infrastructure: HostInfrastructure): DynamicModule {
    return {
      module: UsersAppModule,
      imports: [
        ...infrastructure(USERS_HOST),
        UsersModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<UsersEnv, true>) => ({
            creditLimitDefaultCents: config.get('CREDIT_LIMIT_DEFAULT_CENTS', { infer: true }),
            refreshTokenTtlMs: config.get('REFRESH_TOKEN_TTL_DAYS', { infer: true }) * 86_400_000,
          }),
        }),
      ],
      providers: [AdminBootstrap],
    };
  }
}
