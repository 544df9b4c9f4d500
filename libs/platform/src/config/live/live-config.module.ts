import {
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setLogLevel } from '../../logging/logging.module.js';
import type { BaseEnv } from '../base.env.js';
import type { ProductionRuleOptions } from '../production-rules.js';
import { LiveConfig } from './live-config.js';
import type { LiveApp } from './live-settings.js';

export interface LiveConfigModuleOptions<T extends BaseEnv> {
  app: LiveApp;
  /** The app's env class, the one its ConfigModule validates with. */
  schema: new () => T;
  rules: ProductionRuleOptions;
}

/** Applies the log level live, and watches the file from start to shutdown. */
@Injectable()
class LiveConfigLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveConfig');

  constructor(private readonly live: LiveConfig<BaseEnv>) {}

  onModuleInit(): void {
    // The file may already set another level than the environment the logger was built with.
    setLogLevel(this.live.current().LOG_LEVEL);
    this.live.onChange((values, changed) => {
      if (changed.includes('LOG_LEVEL')) setLogLevel(values.LOG_LEVEL);
    });
  }

  onApplicationBootstrap(): void {
    const { file } = this.live;
    this.logger.log(
      file
        ? `live configuration version ${this.live.version} from ${file}, watched`
        : 'no live configuration (LIVE_CONFIG_FILE unset): start-up values only',
    );
    this.live.watch();
  }

  beforeApplicationShutdown(): void {
    this.live.stop();
  }
}

/**
 * `LiveConfig` for one app's container, global in it: whoever reads a live setting injects
 * `LiveConfig` and calls `current()` per use. Reads LIVE_CONFIG_FILE (BaseEnv).
 */
@Module({})
export class LiveConfigModule {
  static forRoot<T extends BaseEnv>(options: LiveConfigModuleOptions<T>): DynamicModule {
    return {
      module: LiveConfigModule,
      global: true,
      providers: [
        {
          provide: LiveConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService<BaseEnv, true>) =>
            new LiveConfig<T>({
              ...options,
              // ConfigModule has put every validated start-up value (.env, defaults) in there.
              startup: { ...process.env },
              file: config.get('LIVE_CONFIG_FILE', { infer: true }),
            }),
        },
        LiveConfigLifecycle,
      ],
      exports: [LiveConfig],
    };
  }
}
