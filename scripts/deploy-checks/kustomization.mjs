/**
 * The objects `kubectl apply -k deploy/k8s` would create, read without kustomize: every document
 * of the listed resources, and the ConfigMaps and Secrets of its generators. A generator's files
 * are git-ignored secrets, so their keys are read from the committed `<file>.example` when the
 * file itself is absent (its values are never read). Generated names keep no hash suffix here:
 * kustomize adds one and rewrites the references, so the checks compare the base names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { K8S_DIR, isObject, listFiles, loadYaml, problem, rel } from './context.mjs';

/** The keys of a kustomize env file (KEY=value lines; # comments and blank lines skipped). */
function envFileKeys(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('=')[0]);
}

/** The committed source of a generator file: the file, or its `.example` template. */
function sourceOf(path, where) {
  const file = join(K8S_DIR, path);
  if (existsSync(file)) return file;
  if (existsSync(`${file}.example`)) return `${file}.example`;
  problem(where, `${path} has no ${path}.example beside it: commit one, so the keys are known`);
  return undefined;
}

function generated(kind, entry, where) {
  const keys = new Map(); // key -> the file it comes from
  for (const spec of entry.files ?? []) {
    const [key, path] = spec.includes('=') ? spec.split('=') : [spec.split('/').at(-1), spec];
    const file = sourceOf(path, where);
    if (file) keys.set(key, file);
  }
  for (const path of entry.envs ?? []) {
    const file = sourceOf(path, where);
    if (file) for (const key of envFileKeys(readFileSync(file, 'utf8'))) keys.set(key, file);
  }
  for (const literal of entry.literals ?? []) keys.set(literal.split('=')[0], 'literal');
  // Values stand in for the real ones, which are never read; the keys are what the checks need.
  const data = Object.fromEntries([...keys.keys()].map((key) => [key, Buffer.from('(generated)').toString('base64')]));
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name: entry.name, namespace: entry.namespace },
    ...(kind === 'Secret' ? { type: entry.type ?? 'Opaque' } : {}),
    data,
  };
}

/** [{ kind, name, doc, label, generated }] of every object of the kustomization. */
export function kustomizationObjects() {
  const file = ['kustomization.yaml', 'kustomization.yml'].map((n) => join(K8S_DIR, n)).find(existsSync);
  if (!file) {
    problem('deploy/k8s', 'no kustomization.yaml');
    return [];
  }
  const kustomization = loadYaml(file)[0] ?? {};
  const where = rel(file);
  const resources = kustomization.resources ?? [];
  const manifests = listFiles(K8S_DIR, (n) => /\.ya?ml$/.test(n) && !/^kustomization\.ya?ml$/.test(n)).map((f) =>
    relative(K8S_DIR, f),
  );
  for (const r of resources) if (!manifests.includes(r)) problem(where, `lists ${r}, no such file`);
  for (const m of manifests) if (!resources.includes(m)) problem(where, `does not list ${m}`);

  const objects = [];
  const add = (doc, origin, generated = false) => {
    if (!isObject(doc)) return problem(origin, 'not a mapping');
    const name = doc.metadata?.name;
    if (!doc.kind || !doc.apiVersion || !name) return problem(origin, 'needs apiVersion, kind and metadata.name');
    const label = `${origin} ${doc.kind}/${name}`;
    if (objects.some((o) => o.kind === doc.kind && o.name === name)) problem(label, 'defined twice');
    objects.push({ kind: doc.kind, name, doc, label, generated });
  };
  for (const r of resources.filter((r) => manifests.includes(r))) {
    loadYaml(join(K8S_DIR, r)).forEach((doc, i) => add(doc, `deploy/k8s/${r}#${i + 1}`));
  }
  for (const entry of kustomization.configMapGenerator ?? []) {
    add(generated('ConfigMap', entry, where), `${where} configMapGenerator`, true);
  }
  for (const entry of kustomization.secretGenerator ?? []) {
    add(generated('Secret', entry, where), `${where} secretGenerator`, true);
  }
  return objects;
}
