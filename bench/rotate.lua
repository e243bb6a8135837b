-- wrk script for bench/poll.sh: each request takes the next line of a targets file,
-- "PATH AUTHORIZATION..." (the authorization may be absent), so the server sees many devices
-- rather than one. At the end it prints one machine-readable "bench-result" line.
-- Usage: wrk -s bench/rotate.lua URL -- TARGETS_FILE [MAX_LINES]

local targets = {}
local next_target = 1

function init(args)
  local max = tonumber(args[2] or "0")
  for line in io.lines(args[1]) do
    if max > 0 and #targets >= max then
      break
    end
    local path, auth = line:match("^(%S+)%s*(.*)$")
    if path then
      local headers = { ["Accept"] = "*/*" }
      if auth ~= "" then
        headers["Authorization"] = auth
      end
      targets[#targets + 1] = { path = path, headers = headers }
    end
  end
  if #targets == 0 then
    error("no targets in " .. tostring(args[1]))
  end
  -- Threads start at different places in the list.
  next_target = math.random(#targets)
end

function request()
  local t = targets[next_target]
  next_target = next_target % #targets + 1
  return wrk.format("GET", t.path, t.headers)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "bench-result requests=%d rps=%.0f p50_us=%d p99_us=%d bytes_per_s=%.0f status_errors=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    summary.bytes / seconds, e.status, e.connect + e.read + e.write + e.timeout))
end
