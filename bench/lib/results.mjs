// Where a run's files go, and what the JSON records about the machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../results', import.meta.url));

/** `<ISO time>-<shape>[-grpc|-grpc-vs-amqp][-redis][-soak]`, with '-' for ':' so the name is a file name everywhere. */
export function runName(date, options) {
  const iso = date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const rpc = options.rpcCompare ? '-grpc-vs-amqp' : options.rpc === 'grpc' ? '-grpc' : '';
  return `${iso}-${options.shape}${rpc}${options.rateLimitStore === 'redis' ? '-redis' : ''}${options.soak ? '-soak' : ''}`;
}

export function runDirs(name) {
  return {
    logDir: join(RESULTS_DIR, 'logs', name),
    profileDir: join(RESULTS_DIR, 'profiles', name),
    heapDir: join(RESULTS_DIR, 'heap', name),
    jsonFile: join(RESULTS_DIR, `${name}.json`),
  };
}

const git = (...args) => {
  try {
    return execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
};

export function machine(tool) {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadGenerator: tool,
    gitCommit: git('rev-parse', 'HEAD'),
    // The other engineer's edits are in the measured dist/ too: say so.
    gitDirty: git('status', '--porcelain', '--', 'apps', 'libs') ? true : false,
  };
}

export function writeResults(file, result) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
