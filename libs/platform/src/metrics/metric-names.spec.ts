import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { metricsRegistry } from './app-metrics.js';
import { MetricsModule } from './metrics.module.js';

/*
 * The rules `promtool check metrics` (Prometheus's promlint) applies, checked on the real
 * registry of our apps without promtool: it is rarely installed where the tests run. When it is
 * on PATH, a real exposition goes through it too.
 */

interface Definition {
  name: string;
  help: string;
  type: string;
  labelNames: string[];
}

const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
const BASE_UNITS = ['seconds', 'bytes', 'meters', 'grams', 'volts', 'amperes', 'joules', 'celsius', 'kelvin'];
const PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'kilo',
  'kibi',
  'mega',
  'mebi',
  'giga',
  'gibi',
  'tera',
  'tebi',
];
/** Units promlint wants written as a base unit (`seconds`, `bytes`, a ratio instead of percent). */
const NON_BASE_UNITS = new Set([
  ...PREFIXES.flatMap((prefix) => BASE_UNITS.map((unit) => `${prefix}${unit}`)),
  ...['minutes', 'hours', 'days', 'weeks', 'percent', 'fahrenheit'],
]);
/** Abbreviated units promlint flags as name parts (its own list). */
const ABBREVIATIONS = new Set(['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd']);
const TYPE_NAMES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
/** A name about time must carry the base unit of time. */
const TIME_WORDS = new Set(['duration', 'latency', 'age', 'lag', 'time', 'elapsed', 'timeout', 'delay']);

/** What promtool (and our own unit rules) would say about one metric; empty when nothing. */
function problemsOf({ name, help, type, labelNames }: Definition): string[] {
  const problems: string[] = [];
  const parts = name.split('_');
  if (!SNAKE_CASE.test(name)) problems.push('not snake_case (lower case, digits, "_"; no ":")');
  if (!help?.trim()) problems.push('no HELP text');
  if (type === 'counter' && !name.endsWith('_total')) problems.push('a counter without the "_total" suffix');
  if (type !== 'counter' && name.endsWith('_total')) problems.push(`a ${type} with the "_total" suffix`);
  if (!['histogram', 'summary'].includes(type) && /_(count|sum|bucket)$/.test(name)) {
    problems.push(`a ${type} with a histogram's reserved suffix`);
  }
  if (type === 'histogram' && !/_(seconds|bytes)$/.test(name)) problems.push('a histogram not in seconds or bytes');
  for (const part of parts) {
    if (NON_BASE_UNITS.has(part)) problems.push(`"${part}": use the base unit`);
    if (ABBREVIATIONS.has(part)) problems.push(`"${part}": an abbreviated unit`);
    if (TYPE_NAMES.includes(part)) problems.push(`"${part}": the type in the name`);
  }
  if (parts.some((part) => TIME_WORDS.has(part)) && !/_seconds(_total)?$/.test(name)) {
    problems.push('about time but not in seconds');
  }
  for (const label of labelNames) {
    if (!SNAKE_CASE.test(label)) problems.push(`label "${label}" not snake_case`);
  }
  return problems;
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Source files of apps/ and libs/ that use prom-client (specs aside): where metrics are defined. */
function metricSources(dir = ROOT, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir !== ROOT || entry.name === 'apps' || entry.name === 'libs') metricSources(path, found);
    } else if (
      /(?<!\.spec|\.int-spec)\.ts$/.test(entry.name) &&
      /from 'prom-client'/.test(readFileSync(path, 'utf8'))
    ) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Every metric the apps register, Node's defaults included, as definitions: each file that uses
 * prom-client is loaded, so a series defined anywhere (not only in app-metrics.ts) is checked.
 */
async function registered(): Promise<Definition[]> {
  for (const source of metricSources()) await import(source);
  MetricsModule.forRoot('test');
  const metrics = await metricsRegistry.getMetricsAsJSON();
  return metrics.map(({ name, help, type }) => ({
    name,
    help,
    type: String(type),
    // prom-client keeps the declared label names on the metric object.
    labelNames: [...((metricsRegistry.getSingleMetric(name) as unknown as { labelNames?: string[] }).labelNames ?? [])],
  }));
}

describe('metric names', () => {
  it('follow the Prometheus naming rules promtool checks, for every series of every app', async () => {
    const definitions = await registered();
    // Ours and Node's: a registry that lost its definitions would pass everything below.
    expect(definitions.map((d) => d.name)).toEqual(
      expect.arrayContaining(['http_request_duration_seconds', 'saga_outcomes_total', 'nodejs_active_handles']),
    );
    const problems = definitions.flatMap((definition) =>
      problemsOf(definition).map((problem) => `${definition.name}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('would catch what promtool flags (the rules above are not vacuous)', () => {
    const bad: Definition[] = [
      { name: 'nodejs_active_handles_total', help: 'x', type: 'gauge', labelNames: [] },
      { name: 'orders_placed', help: 'x', type: 'counter', labelNames: [] },
      { name: 'rpc_latency_milliseconds', help: 'x', type: 'histogram', labelNames: [] },
      { name: 'queue_depth_count', help: 'x', type: 'gauge', labelNames: [] },
      { name: 'pool_gauge', help: '', type: 'gauge', labelNames: ['dbName'] },
      { name: 'relay:queue_lag_ms', help: 'x', type: 'gauge', labelNames: [] },
    ];
    expect(bad.map(problemsOf)).toEqual([
      ['a gauge with the "_total" suffix'],
      ['a counter without the "_total" suffix'],
      ['a histogram not in seconds or bytes', '"milliseconds": use the base unit', 'about time but not in seconds'],
      ["a gauge with a histogram's reserved suffix"],
      ['no HELP text', '"gauge": the type in the name', 'label "dbName" not snake_case'],
      [
        'not snake_case (lower case, digits, "_"; no ":")',
        '"ms": an abbreviated unit',
        'about time but not in seconds',
      ],
    ]);
  });

  const promtool = spawnSync('promtool', ['--version']).error === undefined;
  (promtool ? it : it.skip)(
    `pass promtool check metrics${promtool ? '' : ' (skipped: promtool not on PATH; the rules above still ran)'}`,
    async () => {
      MetricsModule.forRoot('test');
      const check = spawnSync('promtool', ['check', 'metrics'], {
        input: await metricsRegistry.metrics(),
        encoding: 'utf8',
      });
      expect({ status: check.status, remarks: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, remarks: '' });
    },
  );
});
