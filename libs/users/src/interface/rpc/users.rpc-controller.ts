import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import {
  PAGE_LIMIT_DEFAULT,
  UsersRpc,
  type AuthenticateRequest,
  type GetUserRequest,
  type ListUsersRequest,
  type LoggedOutResponse,
  type RefreshRequest,
  type RegisterUserRequest,
  type SessionResponse,
  type UpdateProfileRequest,
  type UserListResponse,
  type UserResponse,
} from '@app/contracts';
import { ActorVerifier, RpcErrorFilter, RpcHandler } from '@app/messaging';
import {
  AuthenticateCommand,
  GetUserQuery,
  ListUsersQuery,
  LogOutCommand,
  RefreshSessionCommand,
  RegisterUserCommand,
  UpdateProfileCommand,
} from '../../application/index.js';

/**
 * The users context's RPC surface. Each request arrives parsed by its definition's schema (see
 * `@RpcHandler`); the caller is taken from the access token the request carries (verified with
 * the gateway's public key, see ActorVerifier), never from a claim in the payload, and
 * authorisation is done in the handlers.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class UsersRpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly actors: ActorVerifier,
  ) {}

  @RpcHandler(UsersRpc.register)
  register(@Payload() { email, password, name }: RegisterUserRequest): Promise<UserResponse> {
    return this.commands.execute(new RegisterUserCommand(email, password, name));
  }

  @RpcHandler(UsersRpc.authenticate)
  authenticate(@Payload() { email, password }: AuthenticateRequest): Promise<SessionResponse> {
    return this.commands.execute(new AuthenticateCommand(email, password));
  }

  @RpcHandler(UsersRpc.refresh)
  refresh(@Payload() { refreshToken }: RefreshRequest): Promise<SessionResponse> {
    return this.commands.execute(new RefreshSessionCommand(refreshToken));
  }

  @RpcHandler(UsersRpc.logout)
  async logout(@Payload() { refreshToken }: RefreshRequest): Promise<LoggedOutResponse> {
    await this.commands.execute(new LogOutCommand(refreshToken));
    return {};
  }

  @RpcHandler(UsersRpc.get)
  async get(@Payload() request: GetUserRequest): Promise<UserResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(new GetUserQuery(actor, request.userId));
  }

  @RpcHandler(UsersRpc.list)
  async list(@Payload() request: ListUsersRequest): Promise<UserListResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    // An empty cursor, like none, asks for the first page.
    return this.queries.execute(
      new ListUsersQuery(actor, request.limit ?? PAGE_LIMIT_DEFAULT, request.cursor || undefined),
    );
  }

  @RpcHandler(UsersRpc.updateProfile)
  async updateProfile(@Payload() request: UpdateProfileRequest): Promise<UserResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    return this.commands.execute(new UpdateProfileCommand(actor, request.userId, request.name, request.email));
  }
}
