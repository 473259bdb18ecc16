#!/usr/bin/env bash
# Cached tiles on loopback, viewer-like: the tiles a viewer asks for while it pans and zooms around one spot (a block
# of 6x4 neighbouring tiles at each of the three most detailed levels), over and over. Runs, in one go:
#   - iipsrv 1.1 (Debian package, behind nginx, one FastCGI process per core) with its tile cache at its default
#     (MAX_IMAGE_CACHE_SIZE=10);
#   - Vellum's embedded launcher with its output cache at the default (MAX_IMAGE_CACHE_SIZE=10), then off (0), then
#     off in memory but with a memcached (started here on a loopback port, when installed) holding the tiles;
#   - two Vellum nodes (default cache) sharing that memcached behind nginx, configured as docs/deployment.md shows;
# and prints req/s, p50/p99 and the ratio of each run to iipsrv's. Run on demand:
#
#   bench/cache.sh
#
# Settings (environment): DURATION seconds per run (12, at most 15), WARMUP seconds (3), CONNECTIONS (8), THREADS (2),
# BENCH_IMAGES / BENCH_IMAGE as for bench/load.sh (default: demo/demo.jp2, made on first use), PROCESSES iipsrv
# processes (nproc). Every process it starts is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/common.sh"
DURATION=${DURATION:-12}
(( DURATION > 15 )) && DURATION=15
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
PROCESSES=${PROCESSES:-$(nproc)}
IIPSRV=/usr/lib/iipimage-server/iipsrv.fcgi
FCGI_PATH=/fcgi-bin/iipsrv.fcgi   # Vellum answers IIP there too: both servers get the same URLs
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
"$root/bin/install-deps" test
"$root/bin/vellum" --build-only                # installs and builds on first use

bench_start_dir cache
work=$bench_dir
images=${BENCH_IMAGES:-$root/demo}
image=${BENCH_IMAGE:-}
if [ -z "$image" ]; then
  if [ -n "${BENCH_IMAGES:-}" ]; then image=$(cd "$BENCH_IMAGES" && ls *.jp2 | head -1); else image=demo.jp2; fi
fi
[ -f "$images/$image" ] || (cd "$root" && java -cp "servlet/target/classes:servlet/target/lib/*" \
  org.vellum.server.DemoImage "$images" >/dev/null)

await() {
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.2
  done
  echo "no answer from $1" >&2
  exit 1
}

# --- iipsrv with its default tile cache; its metadata also gives the tile grid both servers are asked for --------
hport=$(free_port); fport=$(free_port); vport=$(free_port)
IIPSRV_CACHE=10 start_iipsrv "$work" "$images" "$hport" "$fport" "$PROCESSES"
ibase="http://127.0.0.1:$hport"
await "$ibase$FCGI_PATH?FIF=$image&obj=Max-size"
meta=$(curl -s "$ibase$FCGI_PATH?FIF=$image&obj=Max-size&obj=Resolution-number" | tr -d '\r')
read -r W H < <(sed -n 's/^Max-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
N=$(sed -n 's/^Resolution-number:\([0-9]*\).*/\1/p' <<<"$meta")
: >"$work/paths"
for r in $((N - 1)) $((N - 2)) $((N - 3)); do
  d=$((1 << (N - 1 - r)))
  cols=$(((W / d + 255) / 256)); rows=$(((H / d + 255) / 256))   # iipsrv 1.1 floors the level sizes
  c0=$(((cols - 6) / 2)); r0=$(((rows - 4) / 2)); ((c0 < 0)) && c0=0; ((r0 < 0)) && r0=0
  for ((y = r0; y < r0 + 4 && y < rows; y++)); do
    for ((x = c0; x < c0 + 6 && x < cols; x++)); do echo "$FCGI_PATH?FIF=$image&JTL=$r,$((y * cols + x))"; done
  done
done >>"$work/paths"
tiles=$(wc -l <"$work/paths")

results=$work/results.txt
: >"$results"
measure() {  # name base-url
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$root/bench/paths.lua" "$2" -- "$work/paths" 1000000 >/dev/null
  echo "  $1..." >&2
  echo "$1 $(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$root/bench/paths.lua" "$2" -- "$work/paths" 1000000 \
    | grep '^RESULT' || echo "RESULT 0 1 0 0 0 0 0")" >>"$results"
}
measure "iipsrv(cache=10)" "$ibase"
bench_cleanup_iipsrv() { for p in "${pids[@]}" $(cat "$work/fcgi.pid" 2>/dev/null); do kill "$p" 2>/dev/null || true; done; }
bench_cleanup_iipsrv
pids=()
: >"$work/fcgi.pid"

# --- Vellum: cache on, off, off with memcached --------------------------------------------------------------------
runs="10 0"
if command -v memcached >/dev/null; then
  mport=$(free_port)
  user=(); [ "$(id -u)" -eq 0 ] && user=(-u root)
  memcached -l 127.0.0.1 -p "$mport" -U 0 -m 64 "${user[@]}" &
  pids+=($!)
  runs="$runs 0+memcached"
fi
for run in $runs; do
  size=${run%%+*}
  servers=""; [ "$run" != "$size" ] && servers=127.0.0.1:$mport
  env -u FILESYSTEM_PREFIX MAX_IMAGE_CACHE_SIZE=$size MEMCACHED_SERVERS=$servers \
    "$root/bin/vellum" --embedded --host 127.0.0.1 --port "$vport" --images "$images" >"$work/vellum-$size.log" 2>&1 &
  vpid=$!
  await "http://127.0.0.1:$vport$FCGI_PATH?FIF=$image&obj=Max-size"
  measure "Vellum(cache=$run)" "http://127.0.0.1:$vport"
  kill "$vpid"; wait "$vpid" 2>/dev/null || true
done

# --- two nodes behind nginx sharing the memcached, as docs/deployment.md, "Several nodes", sets them up ---------------
if [ -n "${mport:-}" ] && command -v nginx >/dev/null; then
  nport=$(free_port); port2=$(free_port)
  nodes=()
  for p in "$vport" "$port2"; do
    env -u FILESYSTEM_PREFIX MEMCACHED_SERVERS=127.0.0.1:$mport \
      "$root/bin/vellum" --embedded --host 127.0.0.1 --port "$p" --images "$images" >"$work/node-$p.log" 2>&1 &
    nodes+=($!); pids+=($!)
  done
  { nginx_head "$work" nodes; cat <<CONF
  upstream vellum {
    least_conn;
    server 127.0.0.1:$vport max_fails=3 fail_timeout=10s;
    server 127.0.0.1:$port2 max_fails=3 fail_timeout=10s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$nport;
    location / {
      proxy_pass http://vellum;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_next_upstream error timeout http_503;
    }
  }
}
CONF
  } >"$work/nodes.conf"
  nginx -p "$work" -e "$work/nodes-error.log" -c "$work/nodes.conf" >"$work/nodes-nginx.log" 2>&1 &
  pids+=($!)
  for p in "$vport" "$port2"; do await "http://127.0.0.1:$p$FCGI_PATH?FIF=$image&obj=Max-size"; done
  await "http://127.0.0.1:$nport$FCGI_PATH?FIF=$image&obj=Max-size"
  measure "2nodes+nginx+memcached" "http://127.0.0.1:$nport"
  kill "${nodes[@]}" 2>/dev/null || true
fi

echo
echo "Cached tiles, $(date -u +%Y-%m-%dT%H:%MZ), commit $(cd "$root" && git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
echo "$image ${W}x$H: $tiles tiles (6x4 neighbours at each of resolutions $((N - 3))-$((N - 1))) over and over;"
echo "$CONNECTIONS connections, $THREADS wrk threads, ${DURATION} s after ${WARMUP} s warm-up. iipsrv: $PROCESSES processes behind nginx."
awk '{ rps = $3 / ($4 / 1e6); if (NR == 1) base = rps
       printf "  %-26s %9.1f req/s  p50 %7.2f ms  p99 %8.2f ms  errors %d  x iipsrv %6.2f\n", $1, rps, $5 / 1000,
         $6 / 1000, $8 + $9, base ? rps / base : 0 }' "$results"
