import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';

/*
 * scripts/validate-deploy.mjs (run by `npm run lint`) must refuse broken deploy files, not only
 * pass the good ones: each case breaks one thing in a copy of the repository's deploy files and
 * expects the run to fail, naming it.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const COPIED = ['scripts', 'deploy', '.env.example', 'docker-compose.yml', 'package.json'];
const copies: string[] = [];

/** A copy of what the script reads, with `edit` applied to it; its node_modules is the repository's. */
function copyWith(edit: (file: (path: string, change: (text: string) => string) => void) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'validate-deploy-'));
  copies.push(dir);
  for (const path of COPIED) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  edit((path, change) => {
    const file = join(dir, path);
    const before = readFileSync(file, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${path} changed nothing: the case tests nothing`);
    writeFileSync(file, after);
  });
  return dir;
}

function validate(dir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['scripts/validate-deploy.mjs'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('validate-deploy', () => {
  it('passes the deploy files as committed', () => {
    const { status, output } = validate(copyWith(() => undefined));
    expect(output).toMatch(/validate-deploy: OK \(\d+ Kubernetes objects valid against their schemas/);
    expect(status).toBe(0);
  });

  it.each([
    {
      broken: 'a field of the wrong type (the Kubernetes schema)',
      file: 'deploy/k8s/gateway.yaml',
      change: (text: string) => text.replace('containerPort: 3000', 'containerPort: three-thousand'),
      names: /Deployment\/gateway: schema: \S*containerPort must be integer/,
    },
    {
      broken: 'a variable of .env.example in neither the ConfigMap nor a Secret',
      file: '.env.example',
      change: (text: string) => `${text}\n# a new setting\nBRAND_NEW_SETTING=1\n`,
      names: /BRAND_NEW_SETTING \(from \.env\.example\) is in neither the ConfigMap nor a Secret/,
    },
    {
      broken: 'a connection budget that no longer holds at the HPA maximum',
      file: 'deploy/k8s/users.yaml',
      change: (text: string) => text.replace('maxReplicas: 10', 'maxReplicas: 60'),
      names: /client connections at the HPAs' maximum .* exceed max_client_conn/,
    },
    {
      broken: 'a probe on a port the container does not declare',
      file: 'deploy/k8s/orders.yaml',
      change: (text: string) => text.replace(/(readinessProbe:\n\s+httpGet:\n\s+path: \S+\n\s+port: )\S+/, '$1nope'),
      names: /readinessProbe port nope is not a declared containerPort/,
    },
    {
      broken: 'a dashboard query on a metric no app exposes',
      file: 'deploy/observability/grafana/dashboards/nest-ddd.json',
      change: (text: string) => text.replace('rate_limit_store_fallbacks_total', 'rate_limit_store_fallbacks_totl'),
      names: /rate_limit_store_fallbacks_totl/,
    },
  ])('fails on $broken', ({ file, change, names }) => {
    const { status, output } = validate(copyWith((edit) => edit(file, change)));
    expect(output).toMatch(names);
    expect(status).toBe(1);
  });
});
