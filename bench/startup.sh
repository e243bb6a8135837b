#!/usr/bin/env bash
# Start-up and idle-memory benchmark: starts `./sluice serve` on a fresh data directory RUNS times,
# measures the time until /api/v1/health answers and the resident memory after IDLE seconds, and
# writes the results into BENCHMARKS.md (between the startup markers). Usage: bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
idle=${IDLE:-3}
port=${PORT:-18099}
./sluice --version >/dev/null   # builds the jar (and its class-data archive) if needed

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
starts=()
rsss=()
for i in $(seq 0 "$runs"); do
  data="$work/data$i"
  begin=$(date +%s%N)
  ./sluice serve --data "$data" --port "$port" >"$work/log$i" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log$i"; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  sleep "$idle"
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$i" -eq 0 ]; then continue; fi   # run 0 warms the class-data archive
  starts+=($(( (end - begin) / 1000000 )))
  rsss+=($(( rss / 1024 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start_median=$(median "${starts[@]}")
rss_median=$(median "${rsss[@]}")
echo "start-up (fresh data dir, to first healthy response): ${starts[*]} ms, median $start_median ms"
echo "idle RSS after ${idle}s: ${rsss[*]} MiB, median $rss_median MiB"

java_version=$("$(. ./.mvn/find-jdk.sh; echo "$JAVA_HOME")/bin/java" -version 2>&1 | head -n 1)
section=$(cat <<MD
<!-- startup:begin (written by bench/startup.sh) -->
| measure | median | runs | budget |
|---|---|---|---|
| start-up of \`./sluice serve\`, fresh data dir, until \`/api/v1/health\` answers | ${start_median} ms | ${starts[*]} | ≤ 1,300 ms |
| idle RSS ${idle} s after start-up | ${rss_median} MiB | ${rsss[*]} | ≤ 135 MiB |

Measured $(date -u +%Y-%m-%d) on $(nproc) cores, ${java_version}, default JVM options of \`./sluice\`.
<!-- startup:end -->
MD
)
if [ ! -f BENCHMARKS.md ]; then
  printf '# Sluice benchmarks\n\n## Start-up and idle memory\n\n%s\n' "$section" > BENCHMARKS.md
else
  python3 - "$section" <<'PY'
import re, sys
text = open("BENCHMARKS.md").read()
section = sys.argv[1]
pattern = re.compile(r"<!-- startup:begin.*?<!-- startup:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + "\n" + section + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
fi
echo "wrote BENCHMARKS.md"
