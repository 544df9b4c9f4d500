import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { EnsureAdminCommand } from '@app/users';
import { DependencyGate } from '@app/platform';
import type { UsersEnv } from './users.env.js';

/** Creates the first admin at start when ADMIN_EMAIL and ADMIN_PASSWORD are both set. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly config: ConfigService<UsersEnv, true>,
    private readonly commands: CommandBus,
    private readonly gate: DependencyGate,
  ) {}

  onApplicationBootstrap(): void {
    this.gate.whenOpen('admin', () => this.ensureAdmin());
  }

  private async ensureAdmin(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    const outcome = await this.commands.execute(new EnsureAdminCommand(email, password));
    this.logger.log(outcome === 'created' ? `admin ${email} created` : `admin ${email} already exists`);
  }
}
