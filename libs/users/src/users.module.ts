import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  AuthenticateHandler,
  EnsureAdminHandler,
  GetUserHandler,
  PasswordHasher,
  RegisterUserHandler,
  UpdateProfileHandler,
  UserReadModel,
  UserRepository,
  USERS_OPTIONS,
  type UsersOptions,
} from './application/index.js';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher.js';
import { SqlUserReadModel } from './infrastructure/sql-user.read-model.js';
import { TypeormUserRepository } from './infrastructure/typeorm-user.repository.js';
import { UsersRpcController } from './interface/rpc/users.rpc-controller.js';

export interface UsersModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => UsersOptions;
}

/**
 * The users bounded context. Needs a `DataSource` for the users database from its host;
 * knows nothing of how its RPC handlers are reached.
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
        RegisterUserHandler,
        UpdateProfileHandler,
        EnsureAdminHandler,
        GetUserHandler,
        AuthenticateHandler,
      ],
    };
  }
}
