/** What every deploy check shares: the repository root, the problem list, file and YAML reading. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const K8S_DIR = join(root, 'deploy/k8s');
export const OBS_DIR = join(root, 'deploy/observability');
export const NAMESPACE = 'nest-ddd';

export const problems = [];
export const rel = (file) => relative(root, file);
export const problem = (where, message) => problems.push(`${where}: ${message}`);
export const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

export function listFiles(dir, predicate) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path, predicate) : predicate(name) ? [path] : [];
    });
}

/** Every document of a YAML file as plain JS; parse errors and warnings (duplicate keys) become problems. */
export function loadYaml(file, options = {}) {
  const docs = YAML.parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true, ...options });
  const list = Array.isArray(docs) ? docs : [docs];
  const values = [];
  for (const doc of list) {
    for (const error of [...doc.errors, ...doc.warnings]) problem(rel(file), `YAML: ${error.message.split('\n')[0]}`);
    if (doc.errors.length === 0 && doc.contents !== null) values.push(doc.toJS());
  }
  return values;
}
