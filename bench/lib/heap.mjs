// Heap snapshots of the apps (started with --heapsnapshot-signal=SIGUSR2 and --diagnostic-dir).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const snapshots = (dir) => {
  try {
    return readdirSync(dir).filter((file) => file.endsWith('.heapsnapshot'));
  } catch {
    return [];
  }
};

/** One app at a time (a snapshot briefly doubles the heap); resolves with the files written. */
export async function takeHeapSnapshots(system, heapDir) {
  const files = [];
  for (const [name, app] of Object.entries(system.apps)) {
    const dir = join(heapDir, name);
    const before = new Set(snapshots(dir));
    app.child.kill('SIGUSR2');
    const deadline = Date.now() + 120_000;
    let file = null;
    let size = -1;
    // Written in place: done once a new file exists and its size holds still for a second.
    while (Date.now() < deadline) {
      await sleep(1000);
      file ??= snapshots(dir).find((f) => !before.has(f)) ?? null;
      if (!file) continue;
      const now = statSync(join(dir, file)).size;
      if (now > 0 && now === size) break;
      size = now;
    }
    files.push(file ? join(dir, file) : `${name}: no snapshot within 120 s`);
  }
  return files;
}
