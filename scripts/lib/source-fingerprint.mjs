// A hash of everything a build reads from the repository: the sources of every app and library
// (tests excluded, they are not built), the compiler and CLI settings, and the installed
// dependencies' lock file. Equal hashes mean the previous build's output is still right.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['apps', 'libs'];
const FILES = ['tsconfig.json', 'nest-cli.json', 'package-lock.json', 'scripts/lib/build-app.mjs'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return TEST_FILE.test(entry.name) ? [] : [path];
  });
}

export function sourceFingerprint() {
  const hash = createHash('sha256');
  const paths = [...ROOTS.flatMap(filesUnder), ...FILES].sort();
  for (const path of paths) hash.update(path).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex');
}
