import { watch, type FSWatcher } from 'node:fs';

export interface DirectoryWatchOptions {
  /** Quiet time after the last event before `onChange` runs: a swap is several events. */
  debounceMs: number;
  /** `onChange` also runs this often, whatever the events say. */
  pollMs: number;
  /** The directory watch failed (it then relies on the poll alone). */
  onWatchError: (error: Error) => void;
}

/**
 * Calls `onChange` when anything in `directory` changes. Kubernetes updates a ConfigMap volume
 * by renaming a new `..data` symlink over the old one, so the file's own inode never changes
 * and a watch on the file itself would miss it: the directory is watched. fs.watch is not
 * reliable on every filesystem (network and overlay mounts drop events), so a slow poll backs
 * it up; `onChange` must therefore be cheap when nothing changed.
 */
export function watchConfigDirectory(
  directory: string,
  onChange: () => void,
  options: DirectoryWatchOptions,
): { close: () => void } {
  let debounce: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(onChange, options.debounceMs);
    debounce.unref();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(directory, { persistent: false }, changed);
    watcher.on('error', (error) => {
      options.onWatchError(error);
      watcher?.close();
    });
  } catch (error) {
    options.onWatchError(error as Error);
  }
  const poll = setInterval(onChange, options.pollMs);
  poll.unref();
  return {
    close: () => {
      clearTimeout(debounce);
      clearInterval(poll);
      watcher?.close();
    },
  };
}
