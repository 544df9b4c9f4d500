import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import { configInfo, configReloadFailures, configReloads } from '../../metrics/app-metrics.js';
import type { ProductionRuleOptions } from '../production-rules.js';
import { InvalidEnvironmentError, validateEnv } from '../validate-env.js';
import { LIVE_SETTINGS, type LiveApp } from './live-settings.js';
import { LiveConfigRefusedError, parseLiveConfig } from './parse-live-config.js';
import { watchConfigDirectory } from './watch-config-directory.js';

export interface LiveConfigOptions<T extends object> {
  app: LiveApp;
  /** The app's env class: the file's values pass the same rules as at start. */
  schema: new () => T;
  rules: ProductionRuleOptions;
  /** The process's start-up variables; the file's values are overlaid on them. */
  startup: Record<string, unknown>;
  /** LIVE_CONFIG_FILE; unset: the start-up values only, for good. */
  file?: string;
  debounceMs?: number;
  pollMs?: number;
}

/** What a reload did: took a new file, found the same content, or kept the old values. */
export type ReloadOutcome = 'applied' | 'unchanged' | 'refused';

type Listener<T> = (values: Readonly<T>, changed: readonly string[]) => void;

interface Snapshot<T> {
  readonly version: string;
  readonly values: Readonly<T>;
}

/** Version shown when no live configuration file is set. */
export const NO_LIVE_CONFIG = 'none';

/**
 * An app's whitelisted settings (live-settings.ts), reloaded from a watched file without a
 * restart. The file is read, parsed and validated whole; only then is one frozen snapshot
 * swapped in, so a reader (`current()`, called per use) sees the old values or the new ones,
 * never half of each. A file that fails is refused with one log line and a counted failure,
 * and the values in force stay. At start a bad file stops the app, like a bad variable.
 */
export class LiveConfig<T extends object> {
  private readonly logger = new Logger('LiveConfig');
  private readonly validate: (raw: Record<string, unknown>) => T;
  private snapshot: Snapshot<T>;
  /** The content last read, applied or refused: the poll then finds nothing new to say. */
  private lastText: string | null = null;
  private readonly listeners: Listener<T>[] = [];
  private watcher: { close: () => void } | null = null;
  private reloading: Promise<ReloadOutcome> | null = null;
  private reloadAgain = false;

  constructor(private readonly options: LiveConfigOptions<T>) {
    this.validate = validateEnv(options.schema, options.rules);
    this.snapshot = this.initialSnapshot();
    configReloads.inc({ app: options.app }, 0);
    configReloadFailures.inc({ app: options.app }, 0);
    showVersion(options.app, this.snapshot.version);
  }

  /** The values in force: read it per use, never keep it. */
  current(): Readonly<T> {
    return this.snapshot.values;
  }

  /** The file's `version`, else a hash of its content; `none` without a file. */
  get version(): string {
    return this.snapshot.version;
  }

  get file(): string | undefined {
    return this.options.file;
  }

  /** Calls `listener` after each swap, with the keys whose values changed. */
  onChange(listener: Listener<T>): void {
    this.listeners.push(listener);
  }

  /** Starts watching the file's directory; a no-op without a file. */
  watch(): void {
    const { file } = this.options;
    if (!file || this.watcher) return;
    this.watcher = watchConfigDirectory(dirname(file), () => void this.reload(), {
      debounceMs: this.options.debounceMs ?? 100,
      pollMs: this.options.pollMs ?? 15_000,
      onWatchError: (error) =>
        this.logger.warn(`watching ${dirname(file)} failed, the file is now polled only: ${error.message}`),
    });
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** Reads the file again; at most one read at a time, and one more if asked meanwhile. */
  reload(): Promise<ReloadOutcome> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = this.readAndApply().finally(() => {
      this.reloading = null;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        void this.reload();
      }
    });
    return this.reloading;
  }

  private async readAndApply(): Promise<ReloadOutcome> {
    const { file, app } = this.options;
    if (!file) return 'unchanged';
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // Kept unread: the same failure is reported again on the next event or poll until fixed.
      return this.refuse([`unreadable: ${(error as Error).message}`]);
    }
    if (text === this.lastText) return 'unchanged';
    this.lastText = text;
    let next: Snapshot<T>;
    try {
      next = this.snapshotOf(text);
    } catch (error) {
      return this.refuse(reasonsOf(error));
    }
    const previous = this.snapshot;
    const changed = LIVE_SETTINGS[app].filter((key) => field(previous.values, key) !== field(next.values, key));
    this.snapshot = next;
    showVersion(app, next.version);
    configReloads.inc({ app });
    this.logger.log(
      `live configuration version ${next.version} applied (was ${previous.version}); ` +
        `changed: ${changed.length > 0 ? changed.map((key) => `${key}=${String(field(next.values, key))}`).join(', ') : 'nothing for this app'}`,
    );
    for (const listener of this.listeners) listener(next.values, changed);
    return 'applied';
  }

  private refuse(reasons: string[]): ReloadOutcome {
    configReloadFailures.inc({ app: this.options.app });
    this.logger.error(
      `live configuration in ${this.options.file} refused, version ${this.snapshot.version} stays in force: ${reasons.join('; ')}`,
    );
    return 'refused';
  }

  private initialSnapshot(): Snapshot<T> {
    const { file } = this.options;
    if (!file) return freeze(NO_LIVE_CONFIG, this.validate(this.options.startup));
    try {
      const text = readFileSync(file, 'utf8');
      const snapshot = this.snapshotOf(text);
      this.lastText = text;
      return snapshot;
    } catch (error) {
      throw new InvalidEnvironmentError(`Invalid live configuration in ${file}: ${reasonsOf(error).join('; ')}`);
    }
  }

  /** The file's own settings overlaid on the start-up values, the whole validated as at start. */
  private snapshotOf(text: string): Snapshot<T> {
    const { version, settings } = parseLiveConfig(text);
    const own = LIVE_SETTINGS[this.options.app] as readonly string[];
    const overlay = Object.fromEntries(Object.entries(settings).filter(([key]) => own.includes(key)));
    return freeze(version, this.validate({ ...this.options.startup, ...overlay }));
  }
}

/** The version each app's `config_info` series shows now: one series per app, the one in force. */
const shownVersions = new Map<LiveApp, string>();

function showVersion(app: LiveApp, version: string): void {
  const shown = shownVersions.get(app);
  if (shown !== undefined) configInfo.remove({ app, version: shown });
  configInfo.set({ app, version }, 1);
  shownVersions.set(app, version);
}

function freeze<T extends object>(version: string, values: T): Snapshot<T> {
  return Object.freeze({ version, values: Object.freeze(values) });
}

function field(values: object, key: string): unknown {
  return (values as Record<string, unknown>)[key];
}

function reasonsOf(error: unknown): string[] {
  if (error instanceof LiveConfigRefusedError) return error.reasons;
  if (error instanceof InvalidEnvironmentError) return [error.message.replace(/^Invalid environment: /, '')];
  return [error instanceof Error ? error.message : String(error)];
}
