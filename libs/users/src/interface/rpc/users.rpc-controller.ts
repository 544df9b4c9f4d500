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
import { RpcErrorFilter, asRecord, parseActor, parseCursor, parseLimit, parseUuid } from '@app/messaging';
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
 * are untrusted (anyone on the bus can publish), so identity and ids are checked here and
 * authorisation in the handlers.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class UsersRpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
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
  get(@Payload() payload: unknown): Promise<UserResponse> {
    const request = asRecord(payload);
    return this.queries.execute(new GetUserQuery(parseActor(request.actor), parseUuid(request.userId, 'userId')));
  }

  @MessagePattern(UsersRpc.list)
  list(@Payload() payload: unknown): Promise<UserListResponse> {
    const request = asRecord(payload);
    return this.queries.execute(
      new ListUsersQuery(
        parseActor(request.actor),
        parseLimit(request.limit, USERS_PAGE_DEFAULT, USERS_PAGE_MAX),
        parseCursor(request.cursor),
      ),
    );
  }

  @MessagePattern(UsersRpc.updateProfile)
  updateProfile(@Payload() payload: unknown): Promise<UserResponse> {
    const request = asRecord(payload);
    return this.commands.execute(
      new UpdateProfileCommand(
        parseActor(request.actor),
        parseUuid(request.userId, 'userId'),
        request.name,
        request.email,
      ),
    );
  }
}
