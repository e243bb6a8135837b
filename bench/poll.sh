#!/usr/bin/env bash
# Device-side load benchmark (issue 4). Starts `./sluice serve` on a fresh data directory that the
# demo has filled (product acme-phone, published release 14.0.1 with a 4 MiB system.img), then:
#   (a) idle DDI polls with wrk, rotating over devices: HOT_DEVICES of them (each polled more often
#       than the server's 2 s poll cache keeps an answer: cache hits) and all FLEET_DEVICES (each
#       polled less often: every poll is computed, as when 100,000 devices poll every 5 minutes);
#   (b) the same poll body served by nginx as a static file, for comparison (if nginx is there);
#   (c) artifact download throughput over DDI, and nginx serving the same file (sendfile);
#   (d) `sluice fleet simulate`: FLEET_DEVICES devices polling every FLEET_POLL for FLEET_DURATION
#       (100,000 devices every 5 minutes, compressed in time), with the server's RSS and CPU.
# It writes the figures into BENCHMARKS.md between the poll markers. Never run from ./mvnw verify.
# Usage: bench/poll.sh   (settings below via environment, e.g. FLEET_DEVICES=20000 bench/poll.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18098}
nginx_port=${NGINX_PORT:-18097}
run_seconds=${RUN_SECONDS:-10}
connections=${CONNECTIONS:-64}
download_connections=${DOWNLOAD_CONNECTIONS:-8}
hot_devices=${HOT_DEVICES:-20000}
fleet_devices=${FLEET_DEVICES:-100000}
fleet_poll=${FLEET_POLL:-30s}
fleet_duration=${FLEET_DURATION:-90s}
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
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
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
ms() { python3 -c "print(f'{$1 / 1000:.2f}')"; }
mib() { python3 -c "print(f'{$1 / 1048576:,.0f}')"; }
num() { python3 -c "print(f'{round(float($1)):,}')"; }

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
export SLUICE_SERVER=http://127.0.0.1:$port
SLUICE_TOKEN=$(cat "$data/admin.token")
export SLUICE_TOKEN

step "registering $fleet_devices devices (bulk), and one for downloads"
reg_begin=$(date +%s%N)
./sluice fleet register --devices "$fleet_devices" --product "$product" \
  --token-file "$work/fleet-tokens.csv" --id-prefix fleet- >&2
reg_seconds=$(( ($(date +%s%N) - reg_begin) / 1000000 ))
./sluice fleet register --devices 1 --product "$product" \
  --token-file "$work/download-token.csv" --id-prefix download- >&2
first=$(sed -n 2p "$work/fleet-tokens.csv")
first_id=${first%%,*}
first_token=${first#*,}
curl -sf -H "Authorization: TargetToken $first_token" -H "Accept: application/json" \
  "http://127.0.0.1:$port/$tenant/controller/v1/$first_id" >"$work/poll.json" ||
  { echo "the first device's poll failed" >&2; exit 1; }
poll_bytes=$(wc -c <"$work/poll.json")

wrk_polls() { # name port max-devices
  wrk -t2 -c"$connections" -d"${run_seconds}s" -s bench/poll.lua "http://127.0.0.1:$2" \
    -- "$work/fleet-tokens.csv" "$tenant" "$3" >"$work/$1.txt" 2>&1
  cat "$work/$1.txt" >&2
  local errors=$(( $(result_field "$work/$1.txt" status_errors) + $(result_field "$work/$1.txt" socket_errors) ))
  echo "$(num "$(result_field "$work/$1.txt" rps)") req/s, p50 $(ms "$(result_field "$work/$1.txt" p50_us)") ms, p99 $(ms "$(result_field "$work/$1.txt" p99_us)") ms$([ "$errors" -gt 0 ] && echo ", $errors errors")"
}
step "(a) idle polls, $hot_devices devices (poll cache hits): wrk, $connections connections, ${run_seconds}s"
hot_line=$(wrk_polls sluice-hot "$port" "$hot_devices")
step "(a) idle polls, $fleet_devices devices (computed answers): wrk, $connections connections, ${run_seconds}s"
cold_line=$(wrk_polls sluice-cold "$port" 0)
cold_rps=$(result_field "$work/sluice-cold.txt" rps)
rss_after_polls=$(rss_mib "$server_java")

step "(c) artifact download over DDI"
dl=$(sed -n 2p "$work/download-token.csv")
dl_id=${dl%%,*}
dl_token=${dl#*,}
release_id=$(curl -sf -H "Authorization: Bearer $SLUICE_TOKEN" \
  "$SLUICE_SERVER/api/v1/releases?product=$product&state=PUBLISHED" | json_field releases.0.id)
curl -sf -H "Authorization: Bearer $SLUICE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"release_id\":\"$release_id\"}" "$SLUICE_SERVER/api/v1/devices/$dl_id/actions" >/dev/null ||
  { echo "assigning $release_id to $dl_id failed" >&2; exit 1; }
deployment=$(curl -sf -H "Authorization: TargetToken $dl_token" \
  "http://127.0.0.1:$port/$tenant/controller/v1/$dl_id" |
  json_field _links.deploymentBase.href)
curl -sf -H "Authorization: TargetToken $dl_token" "$deployment" >"$work/deployment.json"
read -r artifact_url artifact_size < <(python3 - "$work/deployment.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
arts = [a for c in d["deployment"]["chunks"] for a in c["artifacts"]]
a = max(arts, key=lambda a: a["size"])
links = a["_links"]
print((links.get("download-http") or links["download"])["href"], a["size"])
PY
)
curl -sf -H "Authorization: TargetToken $dl_token" "$artifact_url" -o "$work/artifact.bin"
[ "$(wc -c <"$work/artifact.bin")" -eq "$artifact_size" ] || { echo "artifact size differs" >&2; exit 1; }
wrk -t2 -c"$download_connections" -d"${run_seconds}s" -s bench/report.lua \
  -H "Authorization: TargetToken $dl_token" "$artifact_url" >"$work/wrk-download.txt" 2>&1
cat "$work/wrk-download.txt" >&2
download_bps=$(result_field "$work/wrk-download.txt" bytes_per_s)
download_errors=$(( $(result_field "$work/wrk-download.txt" status_errors) + $(result_field "$work/wrk-download.txt" socket_errors) ))

nginx_poll_rps=; nginx_poll_line="nginx not installable here"; nginx_download_bps=
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
  nginx_poll_line=$(wrk_polls nginx-poll "$nginx_port" 0)
  nginx_poll_rps=$(result_field "$work/nginx-poll.txt" rps)
  wrk -t2 -c"$download_connections" -d"${run_seconds}s" -s bench/report.lua \
    "http://127.0.0.1:$nginx_port/artifact.bin" >"$work/nginx-download.txt" 2>&1
  cat "$work/nginx-download.txt" >&2
  nginx_download_bps=$(result_field "$work/nginx-download.txt" bytes_per_s)
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
hz=$(getconf CLK_TCK)
server_cpu=$(python3 -c "print(round(100 * ($ticks_after - $ticks_before) / $hz / ($fleet_ns / 1e9)))")
fleet_rps=$(json_field polls_per_second <"$work/fleet.json")
fleet_target=$(json_field target_polls_per_second <"$work/fleet.json")
fleet_p50=$(json_field poll_latency_ms.p50 <"$work/fleet.json")
fleet_p99=$(json_field poll_latency_ms.p99 <"$work/fleet.json")
fleet_errors=$(json_field errors <"$work/fleet.json")
fleet_polls=$(json_field polls <"$work/fleet.json")

# Figures for the table.
download_line="$(mib "$download_bps") MiB/s, $download_errors errors"
if [ -n "$nginx_download_bps" ]; then
  nginx_download_line="$(mib "$nginx_download_bps") MiB/s (Sluice: $(python3 -c "print(round(100 * $download_bps / $nginx_download_bps))") %)"
else
  nginx_download_line="nginx not installable here"
fi
java_version=$("$(. ./.mvn/find-jdk.sh; echo "$JAVA_HOME")/bin/java" -version 2>&1 | head -n 1)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
section=$(cat <<MD
<!-- poll:begin (written by bench/poll.sh) -->
| measure | Sluice | nginx, same bytes | budget |
|---|---|---|---|
| idle DDI poll, $(num "$hot_devices") devices in rotation (each polled every $(python3 -c "print(f'{$hot_devices / $(result_field "$work/sluice-hot.txt" rps):.1f}')") s: poll cache hits), $connections connections, ${run_seconds} s, \`wrk\` | $hot_line | $nginx_poll_line | ≥ 30,000 req/s, p99 ≤ 5 ms |
| idle DDI poll, $(num "$fleet_devices") devices in rotation (each polled every $(python3 -c "print(f'{$fleet_devices / $cold_rps:.1f}')") s: answers computed) | $cold_line | (static file) | ≥ 30,000 req/s, p99 ≤ 5 ms |
| artifact download over DDI, $(mib "$artifact_size") MiB file, $download_connections connections, ${run_seconds} s | $download_line | $nginx_download_line | ≥ 90 % of nginx |
| fleet: $(num "$fleet_devices") simulated devices (\`sluice fleet simulate\`), poll every $fleet_poll for $fleet_duration, $fleet_concurrency requests in flight | $(num "$fleet_polls") polls, $(num "$fleet_rps") polls/s of $(num "$fleet_target") targeted, p50 $fleet_p50 ms, p99 $fleet_p99 ms, $fleet_errors errors; server CPU $server_cpu % of one core, RSS $rss_before_fleet → $rss_after_fleet MiB (peak $hwm MiB) | — | 100,000 devices every 5 min = 333 polls/s |

Poll answer: ${poll_bytes} bytes. Server RSS after the wrk poll runs: $rss_after_polls MiB. Registering $(num "$fleet_devices") devices in bulk took $(python3 -c "print(f'{$reg_seconds / 1000:.1f}')") s.
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu_model), ${java_version}, default JVM options of \`./sluice\`;
\`wrk\` (2 threads), nginx and the simulator run on the same machine as the server and share its cores.
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
