import {
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory laid out as the kubelet lays out a ConfigMap volume, and updated the way it
 * updates one: each version's files in a new timestamped directory, `..data` a symlink to the
 * current one, swapped by renaming a new symlink over it (one atomic step), and each file a
 * symlink through `..data`. A watcher of the file's own inode never sees the change.
 */
export class ConfigMapVolume {
  readonly dir = mkdtempSync(join(tmpdir(), 'e2e-configmap-'));
  private versions = 0;

  /** The path an app is given: `<dir>/<name>`, a symlink to `..data/<name>`. */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** Publishes `files` (name → content) as the volume's new content. */
  publish(files: Record<string, string>): void {
    this.versions += 1;
    const stamp = `..${new Date().toISOString().replace(/[-:.TZ]/g, '_')}${this.versions}`;
    mkdirSync(join(this.dir, stamp));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(this.dir, stamp, name), content);
    const data = join(this.dir, '..data');
    const previous = existsSync(data) ? readlinkSync(data) : null;
    symlinkSync(stamp, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), data);
    for (const name of Object.keys(files)) {
      if (!existsSync(this.path(name))) symlinkSync(join('..data', name), this.path(name));
    }
    if (previous) rmSync(join(this.dir, previous), { recursive: true, force: true });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
