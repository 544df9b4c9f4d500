import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { UsersRpc, type AuthenticateRequest, type RegisterUserRequest, type UserResponse } from '@app/contracts';
import type { RpcClient } from '@app/messaging';
import { USERS_CLIENT } from '../rpc/service-clients.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import type { TokenResponse } from './dto/token.response.js';
import { Public } from '@app/platform';
import { TokenService } from './token.service.js';

@Controller('auth')
@Public()
export class AuthController {
  constructor(
    @Inject(USERS_CLIENT) private readonly users: RpcClient,
    private readonly tokens: TokenService,
  ) {}

  @Post('register')
  register(@Body() body: RegisterDto): Promise<UserResponse> {
    const request: RegisterUserRequest = { email: body.email, password: body.password, name: body.name };
    return this.users.send(UsersRpc.register, request);
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto): Promise<TokenResponse> {
    const request: AuthenticateRequest = { email: body.email, password: body.password };
    const user = await this.users.send<UserResponse>(UsersRpc.authenticate, request);
    const accessToken = await this.tokens.issue({ id: user.id, role: user.role });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds };
  }
}
