-- wrk script for bench/poll.sh: plain requests (headers from -H), one machine-readable result line.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "bench-result requests=%d rps=%.0f p50_us=%d p99_us=%d bytes_per_s=%.0f status_errors=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    summary.bytes / seconds, e.status, e.connect + e.read + e.write + e.timeout))
end
