import { IsOptional, IsString } from 'class-validator';
import { BaseEnv, EnvInt } from '@app/platform';

export class GatewayEnv extends BaseEnv {
  @EnvInt(1, 65_535)
  GATEWAY_PORT = 3000;

  /** Deadline of every call to a service; past it the client gets 504. */
  @EnvInt(100, 60_000)
  RPC_TIMEOUT_MS = 5000;

  @IsString()
  JWT_ISSUER = 'nest-ddd-gateway';

  @IsString()
  JWT_AUDIENCE = 'nest-ddd-api';

  /** Access-token lifetime; at most 15 minutes. */
  @EnvInt(60, 900)
  JWT_TTL_SECONDS = 900;

  /** Ed25519 private key: PEM text or a file path. Unset outside production: a dev key is generated. */
  @IsOptional()
  @IsString()
  JWT_PRIVATE_KEY: string | undefined = undefined;

  /** Matching public key: PEM text or a file path. */
  @IsOptional()
  @IsString()
  JWT_PUBLIC_KEY: string | undefined = undefined;

  /** Where the generated dev key pair is kept (git-ignored). */
  @IsString()
  JWT_DEV_KEYS_DIR = '.data/keys';
}
