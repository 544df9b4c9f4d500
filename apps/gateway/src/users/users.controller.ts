import { Body, Controller, Get, Inject, Param, Patch, Query } from '@nestjs/common';
import { PAGE_LIMIT_DEFAULT, UsersRpc, type Actor, type UserListResponse, type UserResponse } from '@app/contracts';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { RpcClient } from '@app/messaging';
import { AccessToken } from '../auth/access-token.decorator.js';
import { CurrentActor } from '../auth/current-actor.decorator.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { ApiProblems } from '../openapi/api-problems.decorator.js';
import { USERS_CLIENT } from '../rpc/service-clients.js';
import { ListUsersQuery } from './dto/list-users.query.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserPage, UserView } from './dto/user.response.js';

/** Who may see whom is decided by the users service; the gateway forwards the caller's verified access token. */
@Controller('users')
@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401)
export class UsersController {
  constructor(@Inject(USERS_CLIENT) private readonly users: RpcClient) {}

  /** Every user, for admins (the users service refuses anyone else with 403). */
  @Get()
  @ApiOkResponse({ type: UserPage })
  @ApiProblems(400, 403)
  list(@AccessToken() accessToken: string, @Query() query: ListUsersQuery): Promise<UserListResponse> {
    return this.users.call(UsersRpc.list, {
      accessToken,
      limit: query.limit ?? PAGE_LIMIT_DEFAULT,
      cursor: query.cursor,
    });
  }

  /** The caller. */
  @Get('me')
  @ApiOkResponse({ type: UserView })
  me(@CurrentActor() actor: Actor, @AccessToken() accessToken: string): Promise<UserResponse> {
    return this.get(accessToken, actor.id);
  }

  /** Changes the caller's name and/or email. */
  @Patch('me')
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400, 409, 413, 415)
  updateMe(
    @CurrentActor() actor: Actor,
    @AccessToken() accessToken: string,
    @Body() body: UpdateProfileDto,
  ): Promise<UserResponse> {
    return this.users.call(UsersRpc.updateProfile, {
      accessToken,
      userId: actor.id,
      name: body.name,
      email: body.email,
    });
  }

  /** A user: yourself, or anyone for an admin (else 403). */
  @Get(':id')
  @ApiOkResponse({ type: UserView })
  @ApiProblems(400, 403, 404)
  byId(@AccessToken() accessToken: string, @Param('id', EntityIdPipe) id: string): Promise<UserResponse> {
    return this.get(accessToken, id);
  }

  private get(accessToken: string, userId: string): Promise<UserResponse> {
    return this.users.call(UsersRpc.get, { accessToken, userId });
  }
}
