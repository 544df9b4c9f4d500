import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { UsersRpc, type UserResponse } from '@app/contracts';
import { RpcErrorFilter } from '@app/messaging';
import { AuthenticateQuery, GetUserQuery, RegisterUserCommand, UpdateProfileCommand } from '../../application/index.js';
import { asRecord, parseActor, parseUuid } from './rpc-input.js';

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
  authenticate(@Payload() payload: unknown): Promise<UserResponse> {
    const { email, password } = asRecord(payload);
    return this.queries.execute(new AuthenticateQuery(email, password));
  }

  @MessagePattern(UsersRpc.get)
  get(@Payload() payload: unknown): Promise<UserResponse> {
    const request = asRecord(payload);
    return this.queries.execute(new GetUserQuery(parseActor(request.actor), parseUuid(request.userId, 'userId')));
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
