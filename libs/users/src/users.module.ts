import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import {
  AuthenticateHandler,
  CreditReservationRepository,
  ListUsersHandler,
  LogOutHandler,
  RefreshSessionHandler,
  RefreshTokens,
  SessionIssuer,
  EnsureAdminHandler,
  GetUserHandler,
  PasswordHasher,
  RegisterUserHandler,
  ReleaseCreditHandler,
  ReserveCreditHandler,
  UpdateProfileHandler,
  UserReadModel,
  UserRepository,
  UsersOutbox,
  USERS_OPTIONS,
  type UsersOptions,
} from './application/index.js';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher.js';
import { SqlCreditReservationRepository } from './infrastructure/sql-credit-reservation.repository.js';
import { SqlRefreshTokens } from './infrastructure/sql-refresh-tokens.js';
import { SqlUserReadModel } from './infrastructure/sql-user.read-model.js';
import { SqlUsersOutbox } from './infrastructure/sql-users-outbox.js';
import { TypeormUserRepository } from './infrastructure/typeorm-user.repository.js';
import { UsersEventHandlers } from './interface/events/users-event-handlers.js';
import { UsersRpcController } from './interface/rpc/users.rpc-controller.js';

export interface UsersModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => UsersOptions;
}

/**
 * The users bounded context. Its host provides the users database (`TransactionRunner`) and an
 * events transport (`OutboxWriter`, `EventSubscriptions`); the context knows nothing of how
 * its RPC and event handlers are reached.
 */
@Module({})
export class UsersModule {
  static forRootAsync(options: UsersModuleAsyncOptions): DynamicModule {
    return {
      module: UsersModule,
      imports: [CqrsModule.forRoot()],
      controllers: [UsersRpcController],
      providers: [
        { provide: USERS_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: UserRepository, useClass: TypeormUserRepository },
        { provide: UserReadModel, useClass: SqlUserReadModel },
        { provide: PasswordHasher, useClass: Argon2PasswordHasher },
        { provide: CreditReservationRepository, useClass: SqlCreditReservationRepository },
        { provide: UsersOutbox, useClass: SqlUsersOutbox },
        { provide: RefreshTokens, useClass: SqlRefreshTokens },
        SessionIssuer,
        { provide: UnitOfWork, useExisting: TransactionRunner },
        RegisterUserHandler,
        UpdateProfileHandler,
        EnsureAdminHandler,
        GetUserHandler,
        AuthenticateHandler,
        RefreshSessionHandler,
        LogOutHandler,
        ListUsersHandler,
        ReserveCreditHandler,
        ReleaseCreditHandler,
        UsersEventHandlers,
      ],
    };
  }
}
