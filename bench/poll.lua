-- wrk script for bench/poll.sh: each request is a DDI poll of the next device of a token file
-- (controller_id,target_token lines), so the server sees many devices, not one.
-- Usage: wrk -s bench/poll.lua URL -- TOKEN_FILE [TENANT [MAX_DEVICES]]

local devices = {}
local next_device = 1
local tenant = "DEFAULT"

function init(args)
  tenant = args[2] or "DEFAULT"
  local max = tonumber(args[3] or "0")
  for line in io.lines(args[1]) do
    local id, token = line:match("^([^,#]+),(.+)$")
    if max > 0 and #devices >= max then
      break
    end
    if id and id ~= "controller_id" then
      devices[#devices + 1] = { path = "/" .. tenant .. "/controller/v1/" .. id,
                                auth = "TargetToken " .. token }
    end
  end
  if #devices == 0 then
    error("no devices in " .. tostring(args[1]))
  end
  -- Threads start at different places in the list.
  next_device = math.random(#devices)
end

function request()
  local device = devices[next_device]
  next_device = next_device % #devices + 1
  return wrk.format("GET", device.path,
    { ["Authorization"] = device.auth, ["Accept"] = "application/json" })
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "bench-result requests=%d rps=%.0f p50_us=%d p99_us=%d bytes_per_s=%.0f status_errors=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    summary.bytes / seconds, e.status, e.connect + e.read + e.write + e.timeout))
end
