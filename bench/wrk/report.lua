-- Loaded by the other scripts: prints the run's figures as one JSON line that the runner parses
-- (latencies in microseconds; "non2xx" is wrk's status error count, i.e. statuses >= 400).
local report = {}

function report.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%.0f,"durationUs":%.0f,"p50Us":%.0f,"p90Us":%.0f,"p99Us":%.0f,' ..
      '"maxUs":%.0f,"non2xx":%.0f,"errors":%.0f,"timeouts":%.0f}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write, e.timeout))
end

return report
