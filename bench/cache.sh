#!/usr/bin/env bash
# Repeated tiles on loopback: the same TILES full-resolution JTL tiles over and over, against Vellum's embedded
# launcher with the output cache on (MAX_IMAGE_CACHE_SIZE=10, the default), off (0), and off in memory but with a
# memcached (started here on a loopback port, when installed) holding the tiles. Run on demand:
#
#   bench/cache.sh
#
# Settings (environment): DURATION seconds per run (12, at most 15), WARMUP seconds (3), CONNECTIONS (8), THREADS (2),
# TILES (32), BENCH_IMAGES / BENCH_IMAGE as for bench/load.sh (default: demo/demo.jp2, made on first use).
# Every process it starts is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-12}
(( DURATION > 15 )) && DURATION=15
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
TILES=${TILES:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
"$root/bin/vellum" --help >/dev/null          # builds on first use

work=$(mktemp -d "${TMPDIR:-/tmp}/vellum-cache.XXXXXX")
pid=""
mpid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "logs in $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$((20000 + RANDOM % 40000))
args=(--embedded --host 127.0.0.1 --port "$port")
[ -n "${BENCH_IMAGES:-}" ] && args+=(--images "$BENCH_IMAGES")

await() {
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.2
  done
  echo "no answer from $1" >&2
  exit 1
}

runs="10 0"
if command -v memcached >/dev/null; then
  mport=$((20000 + RANDOM % 40000))
  user=(); [ "$(id -u)" -eq 0 ] && user=(-u root)
  memcached -l 127.0.0.1 -p "$mport" -U 0 -m 64 "${user[@]}" &
  mpid=$!
  runs="$runs 0+memcached"
fi

for run in $runs; do
  size=${run%%+*}
  servers=""; [ "$run" != "$size" ] && servers=127.0.0.1:$mport
  env -u FILESYSTEM_PREFIX MAX_IMAGE_CACHE_SIZE=$size MEMCACHED_SERVERS=$servers \
    "$root/bin/vellum" "${args[@]}" >"$work/vellum-$size.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  image=${BENCH_IMAGE:-}
  if [ -z "$image" ]; then
    if [ -n "${BENCH_IMAGES:-}" ]; then image=$(cd "$BENCH_IMAGES" && ls *.jp2 | head -1); else image=demo.jp2; fi
  fi
  await "$base/iip?FIF=$image&obj=Max-size"
  n=$(curl -s "$base/iip?FIF=$image&obj=Resolution-number" | tr -d '\r' | sed -n 's/^Resolution-number://p')
  : > "$work/paths"
  for t in $(seq 0 $((TILES - 1))); do echo "/iip?FIF=$image&JTL=$((n - 1)),$((t * 3))" >> "$work/paths"; done
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$root/bench/paths.lua" "$base" -- "$work/paths" 1000000 >/dev/null
  echo "== MAX_IMAGE_CACHE_SIZE=$size MEMCACHED_SERVERS=$servers: $TILES tiles of resolution $((n - 1)) of $image, $CONNECTIONS connections, ${DURATION}s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$root/bench/paths.lua" "$base" -- "$work/paths" 1000000 \
    | grep -E "Requests/sec|Transfer/sec|^ +(50|99)%|Non-2xx|Socket errors|RESULT"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
done
