import type { AppProcess } from './app-process.js';
import { http } from './http-client.js';

/** The Prometheus text an app exposes, on its management port (`AppProcess.metricsUrl`). */
export async function scrapeMetrics(app: AppProcess): Promise<string> {
  const result = await http('GET', app.metricsUrl);
  if (result.status !== 200) throw new Error(`${app.label} /metrics answered ${result.status}`);
  return result.text;
}

/** The sum of a metric's samples whose labels include `labels`; 0 when there are none. */
export function metricTotal(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(match[3]);
  }
  return total;
}
