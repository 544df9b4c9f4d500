import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import {
  UsersRpc,
  type Actor,
  type GetUserRequest,
  type UpdateProfileRequest,
  type UserResponse,
} from '@app/contracts';
import type { RpcClient } from '@app/messaging';
import { CurrentActor } from '../auth/current-actor.decorator.js';
import { USERS_CLIENT } from '../rpc/service-clients.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';

/** Who may see whom is decided by the users service; the gateway passes the verified actor. */
@Controller('users')
export class UsersController {
  constructor(@Inject(USERS_CLIENT) private readonly users: RpcClient) {}

  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return this.get(actor, actor.id);
  }

  @Patch('me')
  updateMe(@CurrentActor() actor: Actor, @Body() body: UpdateProfileDto): Promise<UserResponse> {
    const request: UpdateProfileRequest = { actor, userId: actor.id, name: body.name, email: body.email };
    return this.users.send(UsersRpc.updateProfile, request);
  }

  @Get(':id')
  byId(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.get(actor, id);
  }

  private get(actor: Actor, userId: string): Promise<UserResponse> {
    const request: GetUserRequest = { actor, userId };
    return this.users.send(UsersRpc.get, request);
  }
}
