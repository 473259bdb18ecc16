#!/usr/bin/env bash
# Load run on loopback: Vellum against iipsrv 1.1 (behind nginx, as sites deploy it), the same request mixes with wrk,
# one table of requests/s and latency p50/p99 per server and the ratio Vellum/iipsrv. Run on demand:
#
#   bench/load.sh
#
# Settings (environment): DURATION seconds per run (15), WARMUP seconds per server and mix before measuring (5),
# CONNECTIONS ("4 16"), THREADS (2), MAX_REQUESTS per wrk thread and run (1000000, a safety bound),
# BENCH_IMAGES a folder of JPEG 2000 files (default: demo/, whose 10000x8000 demo.jp2 Vellum makes with our
# encoder on first use), BENCH_IMAGE a file name in it (default: the first *.jp2).
# A full run of the defaults takes about 5 minutes. Every process it starts is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/common.sh"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-"4 16"}
THREADS=${THREADS:-2}
MAX_REQUESTS=${MAX_REQUESTS:-1000000}
IIPSRV=/usr/lib/iipimage-server/iipsrv.fcgi
FCGI_PATH=/fcgi-bin/iipsrv.fcgi   # Vellum answers IIP at this path too, so both servers get identical URLs

"$root/bin/install-deps" test
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

bench_start_dir load
work=$bench_dir

vport=$(free_port); hport=$(free_port); fport=$(free_port)

# --- Vellum (builds itself on first use; without BENCH_IMAGES it serves demo/ and makes demo.jp2 there) -------------
echo "Building Vellum if needed..." >&2
"$root/bin/vellum" --build-only
vellum_args=(--port "$vport" --host 127.0.0.1)
if [ -n "${BENCH_IMAGES:-}" ]; then
  images=$(cd "$BENCH_IMAGES" && pwd -P)
  vellum_args+=(--images "$images")
else
  images=$root/demo
  mkdir -p "$images"
fi
# Same output settings on both sides; all quality layers (Vellum's default, iipsrv's MAX_LAYERS=-1).
env -u FILESYSTEM_PREFIX -u FILESYSTEM_SUFFIX -u PORT -u URI_MAP -u CORS \
  JPEG_QUALITY=75 MAX_CVT=5000 MAX_LAYERS=-1 VERBOSITY=0 \
  "$root/bin/vellum" "${vellum_args[@]}" >"$work/vellum.log" 2>&1 &
pids+=($!)

# --- iipsrv 1.1: 2 FastCGI processes behind nginx (like ReferenceIipsrv, which the tests use) ----------------------
start_iipsrv "$work" "$images" "$hport" "$fport" 2

# --- wait for both (Vellum may first spend a minute making the demo image) ---------------------------------------
wait_for() {  # name url seconds
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$2" || true)" = 200 ] && return 0
    sleep 0.2
  done
  echo "$1 did not answer $2 within $3 s; logs:" >&2
  tail -n 20 "$work"/*.log >&2 || true
  exit 1
}
wait_for Vellum "http://127.0.0.1:$vport/" 300
image=${BENCH_IMAGE:-$(cd "$images" && ls -1 -- *.jp2 | head -1)}
[ -n "$image" ] || { echo "no .jp2 file in $images" >&2; exit 1; }
fif=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$image" 2>/dev/null || echo "$image")
obj="$FCGI_PATH?FIF=$fif&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number"
wait_for Vellum "http://127.0.0.1:$vport$obj" 30
wait_for iipsrv "http://127.0.0.1:$hport$obj" 30

# --- request lists, from the image's own metadata ---------------------------------------------------------------
meta=$(curl -s "http://127.0.0.1:$hport$obj")
read -r W H < <(sed -n 's/^Max-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
read -r TW TH < <(sed -n 's/^Tile-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
N=$(sed -n 's/^Resolution-number:\([0-9]*\).*/\1/p' <<<"$meta")
[ -n "$W" ] && [ -n "$TW" ] && [ -n "$N" ] || { echo "unexpected metadata from iipsrv: $meta" >&2; exit 1; }

# (a) JTL tiles as IIPMooViewer asks for them: up to 48 tiles of every resolution (all of the small ones, evenly
# spaced ones of the large), in a fixed shuffled order. Level sizes are floored as iipsrv 1.1 does, so every tile
# exists on both servers.
awk -v W="$W" -v H="$H" -v TW="$TW" -v TH="$TH" -v N="$N" -v p="$FCGI_PATH?FIF=$fif" 'BEGIN {
  srand(1)
  for (r = 0; r < N; r++) {
    d = 2 ^ (N - 1 - r); w = int(W / d); h = int(H / d)
    n = int((w + TW - 1) / TW) * int((h + TH - 1) / TH)
    k = n < 48 ? n : 48
    for (i = 0; i < k; i++) printf "%.8f %s&JTL=%d,%d\n", rand(), p, r, int(i * n / k)
  }
}' | sort -k1,1 | cut -d' ' -f2 >"$work/tiles.txt"
# (b) the metadata request a viewer starts with.
echo "$obj" >"$work/obj.txt"
# (c) CVT thumbnails 800 px wide: the whole image and four regions.
for rgn in "" "&RGN=0.25,0.25,0.5,0.5" "&RGN=0,0,0.5,0.5" "&RGN=0.5,0.5,0.5,0.5" "&RGN=0.1,0.3,0.6,0.4"; do
  echo "$FCGI_PATH?FIF=$fif&WID=800$rgn&CVT=jpeg"
done >"$work/cvt.txt"

# Every request must succeed on both before anything is timed (a sample of the tiles: the first 20).
for f in tiles obj cvt; do
  while read -r path; do
    for base in "http://127.0.0.1:$vport" "http://127.0.0.1:$hport"; do
      code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
      [ "$code" = 200 ] || { echo "HTTP $code for $base$path" >&2; exit 1; }
    done
  done < <(head -n 20 "$work/$f.txt")
done

echo
echo "Image: $image (${W}x${H}, $N resolutions, tiles ${TW}x${TH}), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "iipsrv 1.1: 2 FastCGI processes behind nginx, MAX_IMAGE_CACHE_SIZE=0 (no tile cache), MAX_LAYERS=-1."
echo "Vellum: one JVM (JAVA_OPTS='${JAVA_OPTS:-}'); it has no tile cache yet either. Both decode every tile afresh."
echo "wrk: $THREADS threads, ${DURATION} s per run after ${WARMUP} s of warm-up per server and mix; wrk shares the cores."
echo "Mixes: tiles = $(wc -l <"$work/tiles.txt") JTL tiles over all $N resolutions; obj = one OBJ metadata request;"
echo "       cvt = CVT WID=800 of the whole image and four regions."

run() {  # server-url mix connections seconds -> "RESULT ..." line
  wrk -t "$THREADS" -c "$3" -d "${4}s" --timeout 30s -s "$root/bench/paths.lua" "$1" -- "$work/$2.txt" "$MAX_REQUESTS" \
    2>&1 | grep '^RESULT' || echo "RESULT 0 1 0 0 0 0 0"
}
alive() {
  kill -0 "${pids[0]}" 2>/dev/null || { echo "Vellum died; log:" >&2; tail -n 30 "$work/vellum.log" >&2; exit 1; }
  local p n=0
  for p in $(cat "$work/fcgi.pid"); do kill -0 "$p" 2>/dev/null && n=$((n + 1)); done
  [ "$n" -eq 2 ] || echo "warning: only $n of 2 iipsrv processes still run (iipsrv 1.1 crashes on some requests)" >&2
}

results=$work/results.txt
: >"$results"
for mix in tiles obj cvt; do
  for server in iipsrv vellum; do
    if [ "$server" = iipsrv ]; then url="http://127.0.0.1:$hport"; else url="http://127.0.0.1:$vport"; fi
    first=${CONNECTIONS%% *}
    [ "$WARMUP" -gt 0 ] && run "$url" "$mix" "$first" "$WARMUP" >/dev/null
    for c in $CONNECTIONS; do
      echo "  $mix, $c connections, $server..." >&2
      echo "$mix $c $server $(run "$url" "$mix" "$c" "$DURATION")" >>"$results"
      alive
    done
  done
done

echo
ratio_table "$results" "$((MAX_REQUESTS * THREADS))" mix 6 req/s \
  "note: a run reached MAX_REQUESTS and stopped early; its req/s is understated."
