// The apps' /metrics (Prometheus text, prom-client).

export const fetchMetrics = (url) =>
  fetch(url, { signal: AbortSignal.timeout(5000) })
    .then((response) => response.text())
    .catch(() => '');

/** The first sample of series `name` (any labels); null when absent. */
export function metric(text, name) {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

// What an operator would look at first after a run: did anything retry, dead-letter or stay unpublished?
const AFTER_RUN = [
  /^saga_outcomes_total/,
  /^messages_(consumed|retried|dead_lettered)_total/,
  /^outbox_(published_total|unpublished_rows|oldest_unpublished_age_seconds)/,
];

/** The AFTER_RUN series of each app that are not zero, as lines. */
export async function seriesAfterRun(metricsUrls) {
  const lines = {};
  for (const [name, url] of Object.entries(metricsUrls)) {
    lines[name] = (await fetchMetrics(url))
      .split('\n')
      .filter((line) => AFTER_RUN.some((re) => re.test(line)) && !/ 0$/.test(line));
  }
  return lines;
}
