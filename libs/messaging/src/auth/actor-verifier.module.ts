import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@app/platform';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { ActorVerifier } from './actor-verifier.js';
import { VerificationKeys } from './verification-keys.js';

type Config = ConfigService<BaseEnv, true>;

/** The access-token settings every app reads: the gateway to issue and verify, a service to verify. */
export function verificationKeysFrom(config: Config): VerificationKeys {
  return new VerificationKeys({
    publicKey: config.get('JWT_PUBLIC_KEY', { infer: true }),
    previousPublicKey: config.get('JWT_PREVIOUS_PUBLIC_KEY', { infer: true }),
    devKeysDir: config.get('JWT_DEV_KEYS_DIR', { infer: true }),
    production: config.get('NODE_ENV', { infer: true }) === 'production',
  });
}

/** Provides `ActorVerifier` to a context's RPC controllers, from the app's validated config. */
@Global()
@Module({})
export class ActorVerifierModule {
  static forRoot(): DynamicModule {
    return {
      module: ActorVerifierModule,
      providers: [
        {
          provide: ActorVerifier,
          inject: [ConfigService],
          useFactory: async (config: Config) => {
            const keys = verificationKeysFrom(config);
            await keys.preload();
            const claims = {
              issuer: config.get('JWT_ISSUER', { infer: true }),
              audience: config.get('JWT_AUDIENCE', { infer: true }),
            };
            return new ActorVerifier(new AccessTokenVerifier(keys.keyFor, claims));
          },
        },
      ],
      exports: [ActorVerifier],
    };
  }
}
