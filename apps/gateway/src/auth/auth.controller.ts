import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { UsersRpc, type SessionResponse, type UserResponse } from '@app/contracts';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { RpcClient } from '@app/messaging';
import { Public } from '@app/platform';
import { USERS_CLIENT } from '../rpc/service-clients.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenResponse } from './dto/token.response.js';
import { FeatureSwitches } from '../http/feature-switches/feature-switches.js';
import { RateLimited } from '../http/rate-limit/rate-limit-scope.decorator.js';
import { ApiProblems } from '../openapi/api-problems.decorator.js';
import { UserView } from '../users/dto/user.response.js';
import { TokenService } from './token.service.js';

@Controller('auth')
@Public()
@ApiTags('auth')
export class AuthController {
  constructor(
    @Inject(USERS_CLIENT) private readonly users: RpcClient,
    private readonly tokens: TokenService,
    private readonly features: FeatureSwitches,
  ) {}

  /** Creates an account (role user, default credit limit); 403 REGISTRATION_CLOSED while sign-up is off. */
  @Post('register')
  @RateLimited('register')
  @ApiCreatedResponse({ type: UserView })
  @ApiProblems(400, 403, 409, 413, 415)
  register(@Body() body: RegisterDto): Promise<UserResponse> {
    this.features.requireRegistrationOpen();
    return this.users.call(UsersRpc.register, { email: body.email, password: body.password, name: body.name });
  }

  /** Logs in: an access token (15 min) and a refresh token. Wrong email or password: the same 401. */
  @Post('login')
  @RateLimited('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(400, 401, 413, 415)
  async login(@Body() body: LoginDto): Promise<TokenResponse> {
    return this.toTokens(await this.users.call(UsersRpc.authenticate, { email: body.email, password: body.password }));
  }

  /** A new access token and a new refresh token for a refresh token, which is then spent. */
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(400, 401, 413, 415)
  async refresh(@Body() body: RefreshDto): Promise<TokenResponse> {
    return this.toTokens(await this.users.call(UsersRpc.refresh, { refreshToken: body.refreshToken }));
  }

  /** Ends the session: the refresh token and every token rotated from the same log-in. */
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Logged out (also when the token was unknown or revoked)' })
  @ApiProblems(400, 413, 415)
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.users.call(UsersRpc.logout, { refreshToken: body.refreshToken });
  }

  private async toTokens(session: SessionResponse): Promise<TokenResponse> {
    const accessToken = await this.tokens.issue({ id: session.user.id, role: session.user.role });
    return {
      accessToken,
      refreshToken: session.refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
    };
  }
}
