import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  USERS_PAGE_DEFAULT,
  USERS_PAGE_MAX,
  UsersRpc,
  type SessionResponse,
  type UserListResponse,
  type UserResponse,
} from '@app/contracts';
import { ActorVerifier, RpcErrorFilter, asRecord, parseCursor, parseLimit, parseUuid } from '@app/messaging';
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
 * The users context's RPC surface. Translates requests into commands and queries; payloads
 * are untrusted (anyone on the bus can publish), so ids are checked here, the caller is taken
 * from the access token the request carries (verified with the gateway's public key, see
 * ActorVerifier), never from a claim in the payload, and authorisation is done in the handlers.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class UsersRpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly actors: ActorVerifier,
  ) {}

  @MessagePattern(UsersRpc.register)
  register(@Payload() payload: unknown): Promise<UserResponse> {
    const { email, password, name } = asRecord(payload);
    return this.commands.execute(new RegisterUserCommand(email, password, name));
  }

  @MessagePattern(UsersRpc.authenticate)
  authenticate(@Payload() payload: unknown): Promise<SessionResponse> {
    const { email, password } = asRecord(payload);
    return this.commands.execute(new AuthenticateCommand(email, password));
  }

  @MessagePattern(UsersRpc.refresh)
  refresh(@Payload() payload: unknown): Promise<SessionResponse> {
    return this.commands.execute(new RefreshSessionCommand(asRecord(payload).refreshToken));
  }

  @MessagePattern(UsersRpc.logout)
  async logout(@Payload() payload: unknown): Promise<null> {
    await this.commands.execute(new LogOutCommand(asRecord(payload).refreshToken));
    return null;
  }

  @MessagePattern(UsersRpc.get)
  async get(@Payload() payload: unknown): Promise<UserResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(new GetUserQuery(actor, parseUuid(request.userId, 'userId')));
  }

  @MessagePattern(UsersRpc.list)
  async list(@Payload() payload: unknown): Promise<UserListResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(
      new ListUsersQuery(
        actor,
        parseLimit(request.limit, USERS_PAGE_DEFAULT, USERS_PAGE_MAX),
        parseCursor(request.cursor),
      ),
    );
  }

  @MessagePattern(UsersRpc.updateProfile)
  async updateProfile(@Payload() payload: unknown): Promise<UserResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.commands.execute(
      new UpdateProfileCommand(actor, parseUuid(request.userId, 'userId'), request.name, request.email),
    );
  }
}
