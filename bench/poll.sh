#!/usr/bin/env bash
# Device-side load benchmark (issue 4). Starts `./sluice serve` on a fresh data directory that the
# demo has filled (product acme-phone, published release 14.0.1 with a 4 MiB system.img), registers
# FLEET_DEVICES devices in bulk, then measures:
#   (a) idle DDI polls with wrk, rotating over HOT_DEVICES devices (each polled many times: answered
#       from the poll cache, which keeps an answer until the device changes; enough devices that
#       none exceeds the per-device rate limit of 5/s, burst 60, below ~90,000 polls/s) and over all
#       FLEET_DEVICES (most polled about once in the run: mostly cache misses, computed answers);
#   (b) nginx serving the same poll body as a static file (if nginx is installable);
#   (c) artifact downloads over DDI, rotating over DOWNLOAD_DEVICES devices that each have the
#       release assigned, and nginx serving the same file (sendfile);
#   (d) `sluice fleet simulate`: FLEET_DEVICES devices polling every FLEET_POLL for FLEET_DURATION
#       (100,000 devices every 5 minutes, compressed in time), with the server's CPU and RSS.
# It writes the figures into BENCHMARKS.md between the poll markers. Never run from ./mvnw verify.
# Usage: bench/poll.sh   (settings via environment, e.g. FLEET_DEVICES=20000 RUN_SECONDS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18098}
nginx_port=${NGINX_PORT:-18097}
run_seconds=${RUN_SECONDS:-10}
connections=${CONNECTIONS:-64}
hot_devices=${HOT_DEVICES:-10000}
download_devices=${DOWNLOAD_DEVICES:-100}
download_connections=${DOWNLOAD_CONNECTIONS:-8}
fleet_devices=${FLEET_DEVICES:-100000}
fleet_poll=${FLEET_POLL:-60s}
fleet_duration=${FLEET_DURATION:-120s}
fleet_concurrency=${FLEET_CONCURRENCY:-64}
tenant=DEFAULT
product=acme-phone

install_if_missing() { # command package
  command -v "$1" >/dev/null && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing $2..." >&2
    (apt-get install -y -qq "$2" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$2" >/dev/null 2>&1; }) || true
  fi
  command -v "$1" >/dev/null
}
install_if_missing wrk wrk || { echo "bench/poll.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
have_nginx=yes
install_if_missing nginx nginx-light || have_nginx=no
./sluice --version >/dev/null   # builds the jar if needed

work=$(mktemp -d)
server_pid=
nginx_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { echo "== $*" >&2; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[int(k)] if isinstance(d,list) else d[k]
print(d)' "$1"; }
result_field() { sed -n "s/.*bench-result.* $2=\([0-9.]*\).*/\1/p" "$1"; }
java_pid_of() { pgrep -P "$1" java || echo "$1"; }
rss_mib() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { cut -d' ' -f1 /proc/loadavg; }
calc() { python3 -c "print($1)"; }
ms() { calc "f'{$1 / 1000:.2f}'"; }
mib() { calc "f'{$1 / 1048576:,.0f}'"; }
num() { calc "f'{round(float($1)):,}'"; }
load_before=$(load)

step "demo: a published release on a fresh data directory"
data=$work/data
./sluice demo --data "$data" --port "$port" --exit >"$work/demo.log" 2>&1 ||
  { tail -n 30 "$work/demo.log"; exit 1; }

step "server"
./sluice serve --data "$data" --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.05
done
server_java=$(java_pid_of "$server_pid")
base=http://127.0.0.1:$port
export SLUICE_SERVER=$base
SLUICE_TOKEN=$(cat "$data/admin.token")
export SLUICE_TOKEN
admin=(-H "Authorization: Bearer $SLUICE_TOKEN")

step "registering $fleet_devices devices in bulk, and $download_devices for downloads"
reg_begin=$(date +%s%N)
./sluice fleet register --devices "$fleet_devices" --product "$product" \
  --token-file "$work/fleet-tokens.csv" --id-prefix fleet- >&2
reg_ms=$(( ($(date +%s%N) - reg_begin) / 1000000 ))
./sluice fleet register --devices "$download_devices" --product "$product" \
  --token-file "$work/download-tokens.csv" --id-prefix download- >&2
# wrk targets: "PATH AUTHORIZATION" per device.
awk -F, -v t="$tenant" 'NR > 1 { print "/" t "/controller/v1/" $1 " TargetToken " $2 }' \
  "$work/fleet-tokens.csv" >"$work/polls.txt"
read -r first_path first_auth_kind first_token <"$work/polls.txt"
curl -sf -H "Authorization: $first_auth_kind $first_token" "$base$first_path" >"$work/poll.json" ||
  { echo "the first device's poll failed" >&2; exit 1; }
poll_bytes=$(wc -c <"$work/poll.json")

wrk_run() { # name url targets-file max-lines connections
  wrk -t2 -c"$5" -d"${run_seconds}s" -s bench/rotate.lua "$2" -- "$3" "$4" >"$work/$1.txt" 2>&1
  cat "$work/$1.txt" >&2
  grep -q bench-result "$work/$1.txt" || { echo "wrk failed" >&2; exit 1; }
}
poll_line() { # name
  local f=$work/$1.txt
  local errors=$(( $(result_field "$f" status_errors) + $(result_field "$f" socket_errors) ))
  printf '%s req/s, p50 %s ms, p99 %s ms%s' "$(num "$(result_field "$f" rps)")" \
    "$(ms "$(result_field "$f" p50_us)")" "$(ms "$(result_field "$f" p99_us)")" \
    "$([ "$errors" -gt 0 ] && echo ", $errors errors" || true)"
}
period() { # devices name: how often each device was polled, and whether its answer was cached
  # A device's answer is cached from its first poll until it changes: a device polled more than
  # once during the run is mostly answered from the cache, one polled about once is a cache miss.
  calc "(lambda p: f'every {p:.1f} s: ' + ('answers cached after its first poll' if p < $run_seconds / 2 else 'about once in the run: mostly computed answers'))($1 / $(result_field "$work/$2.txt" rps))"
}
step "warming the server up (3 s of polls, not measured)"
wrk -t2 -c"$connections" -d3s -s bench/rotate.lua "$base" -- "$work/polls.txt" 0 >/dev/null 2>&1
step "(a) idle polls over $hot_devices devices: wrk, $connections connections, ${run_seconds}s"
wrk_run sluice-hot "$base" "$work/polls.txt" "$hot_devices" "$connections"
step "(a) idle polls over $fleet_devices devices: wrk, $connections connections, ${run_seconds}s"
wrk_run sluice-cold "$base" "$work/polls.txt" 0 "$connections"
rss_after_polls=$(rss_mib "$server_java")

step "(c) artifact downloads over DDI, $download_devices devices"
release_id=$(curl -sf "${admin[@]}" "$base/api/v1/releases?product=$product&state=PUBLISHED" |
  json_field releases.0.id)
: >"$work/downloads.txt"
tail -n +2 "$work/download-tokens.csv" | while IFS=, read -r id token; do
  curl -sf "${admin[@]}" -H "Content-Type: application/json" -d "{\"release_id\":\"$release_id\"}" \
    "$base/api/v1/devices/$id/actions" >/dev/null ||
    { echo "assigning $release_id to $id failed" >&2; exit 1; }
  deployment=$(curl -sf -H "Authorization: TargetToken $token" "$base/$tenant/controller/v1/$id" |
    json_field _links.deploymentBase.href)
  curl -sf -H "Authorization: TargetToken $token" "$deployment" |
    python3 -c 'import json, sys
d = json.load(sys.stdin)
a = max((a for c in d["deployment"]["chunks"] for a in c["artifacts"]), key=lambda a: a["size"])
href = (a["_links"].get("download-http") or a["_links"]["download"])["href"]
print("/" + href.split("/", 3)[3], sys.argv[1], a["size"])' "TargetToken $token" \
    >>"$work/downloads.txt"
done
read -r dl_path dl_kind dl_token artifact_size <"$work/downloads.txt"
awk '{ print $1 " " $2 " " $3 }' "$work/downloads.txt" >"$work/download-targets.txt"
curl -sf -H "Authorization: $dl_kind $dl_token" "$base$dl_path" -o "$work/artifact.bin"
[ "$(wc -c <"$work/artifact.bin")" -eq "$artifact_size" ] || { echo "artifact size differs" >&2; exit 1; }
wrk_run sluice-download "$base" "$work/download-targets.txt" 0 "$download_connections"
download_bps=$(result_field "$work/sluice-download.txt" bytes_per_s)
download_errors=$(( $(result_field "$work/sluice-download.txt" status_errors) + $(result_field "$work/sluice-download.txt" socket_errors) ))

nginx_poll_line="nginx not installable here"
nginx_download_line="nginx not installable here"
if [ "$have_nginx" = yes ]; then
  step "(b, c) nginx serving the same poll body and artifact"
  root=$work/nginx-root
  mkdir -p "$root" "$work/nginx-tmp"
  cp "$work/poll.json" "$root/poll.json"
  cp "$work/artifact.bin" "$root/artifact.bin"
  chmod a+x "$work"   # nginx workers run as an unprivileged user
  chmod -R a+rX "$root"
  cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $root;
    location /$tenant/controller/v1/ { default_type application/json; try_files /poll.json =404; }
    location = /artifact.bin { default_type application/octet-stream; }
  }
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' 2>>"$work/nginx-error.log" &
  nginx_pid=$!
  until curl -sf "http://127.0.0.1:$nginx_port/$tenant/controller/v1/x" >/dev/null; do
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/nginx-error.log" >&2; exit 1; }
    sleep 0.05
  done
  wrk_run nginx-poll "http://127.0.0.1:$nginx_port" "$work/polls.txt" 0 "$connections"
  nginx_poll_line=$(poll_line nginx-poll)
  echo "/artifact.bin" >"$work/nginx-download-targets.txt"
  wrk_run nginx-download "http://127.0.0.1:$nginx_port" "$work/nginx-download-targets.txt" 0 \
    "$download_connections"
  nginx_download_bps=$(result_field "$work/nginx-download.txt" bytes_per_s)
  nginx_download_line="$(mib "$nginx_download_bps") MiB/s (Sluice: $(calc "round(100 * $download_bps / $nginx_download_bps)") %)"
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=
fi

step "(d) fleet: $fleet_devices devices polling every $fleet_poll for $fleet_duration"
rss_before_fleet=$(rss_mib "$server_java")
ticks_before=$(cpu_ticks "$server_java")
fleet_begin=$(date +%s%N)
./sluice fleet simulate --devices "$fleet_devices" --token-file "$work/fleet-tokens.csv" \
  --poll "$fleet_poll" --duration "$fleet_duration" --concurrency "$fleet_concurrency" \
  --json >"$work/fleet.json"
fleet_ns=$(( $(date +%s%N) - fleet_begin ))
ticks_after=$(cpu_ticks "$server_java")
rss_after_fleet=$(rss_mib "$server_java")
hwm=$(hwm_mib "$server_java")
cat "$work/fleet.json" >&2
f() { json_field "$1" <"$work/fleet.json"; }
server_cpu=$(calc "round(100 * ($ticks_after - $ticks_before) / $(getconf CLK_TCK) / ($fleet_ns / 1e9))")
fleet_line="$(num "$(f polls)") polls, $(num "$(f polls_per_second)") polls/s of $(num "$(f target_polls_per_second)") targeted, p50 $(f poll_latency_ms.p50) ms, p99 $(f poll_latency_ms.p99) ms, $(f errors) errors; server CPU $server_cpu % of one core (simulator $(calc "round(100 * $(f simulator_cpu_seconds) / $(f seconds))") %), server RSS $rss_before_fleet → $rss_after_fleet MiB (peak $hwm MiB)"
load_after=$(load)

java_version=$("$(. ./.mvn/find-jdk.sh; echo "$JAVA_HOME")/bin/java" -version 2>&1 | head -n 1)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
section=$(cat <<MD
<!-- poll:begin (written by bench/poll.sh) -->
| measure | Sluice | nginx, same bytes | budget |
|---|---|---|---|
| idle DDI poll, $(num "$hot_devices") devices in rotation (each polled $(period "$hot_devices" sluice-hot)), $connections connections, ${run_seconds} s, \`wrk\` | $(poll_line sluice-hot) | $nginx_poll_line | ≥ 30,000 req/s, p99 ≤ 5 ms |
| idle DDI poll, $(num "$fleet_devices") devices in rotation (each polled $(period "$fleet_devices" sluice-cold)) | $(poll_line sluice-cold) | (static file) | ≥ 30,000 req/s, p99 ≤ 5 ms |
| artifact download over DDI, $(mib "$artifact_size") MiB file, $download_devices devices in rotation, $download_connections connections, ${run_seconds} s | $(mib "$download_bps") MiB/s$([ "$download_errors" -gt 0 ] && echo ", $download_errors errors" || true) | $nginx_download_line | ≥ 90 % of nginx |
| fleet: $(num "$fleet_devices") simulated devices (\`sluice fleet simulate\`), poll every $fleet_poll for $fleet_duration, $fleet_concurrency requests in flight | $fleet_line | — | 100,000 devices every 5 min = 333 polls/s |

Poll answer: ${poll_bytes} bytes. Server RSS after the wrk poll runs: $rss_after_polls MiB. Registering $(num "$fleet_devices") devices in bulk took $(calc "f'{$reg_ms / 1000:.1f}'") s.
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu_model), ${java_version}, default JVM options of \`./sluice\`;
\`wrk\` (2 threads), nginx and the simulator run on the same machine as the server and share its cores.
Load average (1 min) before the run: $load_before, after: $load_after — figures taken on a busy machine are not comparable.
<!-- poll:end -->
MD
)
python3 - "$section" <<'PY'
import re, sys
text = open("BENCHMARKS.md").read()
section = sys.argv[1]
pattern = re.compile(r"<!-- poll:begin.*?<!-- poll:end -->", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text)
else:
    text = text.rstrip("\n") + "\n\n## Device polls, downloads and a simulated fleet\n\n" + section + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
echo "$section"
echo "wrote BENCHMARKS.md"
