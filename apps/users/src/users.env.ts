import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { EnvInt, ServiceEnv } from '@app/platform';

export class UsersEnv extends ServiceEnv {
  /** Port of /health and /metrics; the API itself is reached over RabbitMQ or gRPC (RPC_TRANSPORT). */
  @EnvInt(1, 65_535)
  USERS_HTTP_PORT = 3001;

  /** Port of the gRPC service `user.UserService`, with RPC_TRANSPORT=grpc. */
  @EnvInt(1, 65_535)
  USERS_GRPC_PORT = 50_051;

  @IsString()
  USERS_DB_NAME = 'users';

  @EnvInt(0, 1_000_000_000_000)
  CREDIT_LIMIT_DEFAULT_CENTS = 100_000;

  /** Lifetime of a refresh token, in days; rotated on every use. */
  @EnvInt(1, 365)
  REFRESH_TOKEN_TTL_DAYS = 14;

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL: string | undefined = undefined;

  @IsOptional()
  @Length(8, 128)
  ADMIN_PASSWORD: string | undefined = undefined;
}
