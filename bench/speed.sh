#!/usr/bin/env bash
# Speed run (issue 7) on loopback, on demand (not part of CI's pass/fail). In one run it:
#  1. makes the test images with our encoder (archive profile) unless bench/work/ has them: single-tile 8000x6000 and
#     16000x12000, and a 1024-px-tiled 15000x54000 (the size of the largest scans libraries serve), streamed;
#  2. starts Vellum (bin/vellum, OSGi runtime, -Xmx256m) and iipsrv 1.1 (Debian package, behind nginx, one FastCGI
#     process per core, no tile cache);
#  3. times the first requests for the big image right after start (metadata, then a full-resolution tile);
#  4. warms both, then drives each with the same random JTL tile sequence (wrk + bench/tiles.lua, fixed seed, all
#     levels) at 1, 8 and 32 connections, per image;
#  5. prints tiles/s, p50 and p99 per server and the ratio Vellum/iipsrv, the first-tile times, and Vellum's peak RSS
#     (over the run and while serving each image; the big image is served first) and peak heap use.
# Settings (environment): SIZE full|small (small: 2000x1500, 4000x3000 and 3000x10800, for a quick check),
# DURATION seconds per cell (12), WARMUP seconds per server and image (4), CONNECTIONS ("1 8 32"), THREADS wrk threads
# (2, fewer when there are fewer connections), HEAP Vellum's -Xmx (256m), PROCESSES iipsrv processes (nproc),
# SEED (7), WORK folder for the images (bench/work, git-ignored). Load goes to 127.0.0.1 only; every process started
# here is stopped on exit. A full run takes about 5 minutes, plus making the images on first use (about 10 minutes).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/common.sh"
SIZE=${SIZE:-full}
DURATION=${DURATION:-12}
WARMUP=${WARMUP:-4}
CONNECTIONS=${CONNECTIONS:-"1 8 32"}
THREADS=${THREADS:-2}
HEAP=${HEAP:-256m}
PROCESSES=${PROCESSES:-$(nproc)}
SEED=${SEED:-7}
WORK=${WORK:-$root/bench/work}
MAX_REQUESTS=1000000
IIPSRV=/usr/lib/iipimage-server/iipsrv.fcgi
FCGI_PATH=/fcgi-bin/iipsrv.fcgi   # Vellum answers IIP at this path too, so both servers get identical URLs

case "$SIZE" in
  full) set_images=("single-8000x6000.jp2 8000 6000 single" "single-16000x12000.jp2 16000 12000 single"
                    "tiled-15000x54000.jp2 15000 54000 tiled") ;;
  small) set_images=("single-2000x1500.jp2 2000 1500 single" "single-4000x3000.jp2 4000 3000 single"
                     "tiled-3000x10800.jp2 3000 10800 tiled") ;;
  *) echo "SIZE must be full or small" >&2; exit 2 ;;
esac

"$root/bin/install-deps" test
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

bench_start_dir speed
run_dir=$bench_dir
trap 'echo "speed.sh: a command failed at line $LINENO" >&2' ERR

# --- 1. images --------------------------------------------------------------------------------------------------
echo "Building Vellum and the benchmark classes if needed..." >&2
"$root/bin/vellum" --build-only
(cd "$root" && mvn -q -B -pl servlet -am -Pbench -DskipTests test-compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$run_dir/cp.txt" >&2)
build=$root/servlet/target/bench-build
images=$WORK/images
mkdir -p "$images"
images=$(cd "$images" && pwd -P)
for spec in "${set_images[@]}"; do
  read -r name w h layout <<<"$spec"
  if [ ! -s "$images/$name" ]; then
    echo "Making $name (once)..." >&2
    java -Xmx1g -cp "$build/test-classes:$build/classes:$(cat "$run_dir/cp.txt")" org.vellum.bench.SpeedImages \
      "$images/$name" "$w" "$h" "$layout" >&2
  fi
done
big=$(read -r n _ <<<"${set_images[2]}"; echo "$n")

# --- 2. servers -------------------------------------------------------------------------------------------------
vport=$(free_port); hport=$(free_port); fport=$(free_port)

# Same output settings on both sides: quality 75, all quality layers, no cache of encoded tiles (MAX_IMAGE_CACHE_SIZE=0
# on both). Vellum keeps its whole small levels decoded (LEVEL_CACHE_SIZE, part of how it decodes); run with
# LEVEL_CACHE_SIZE=0 in the environment to measure without them.
env -u FILESYSTEM_PREFIX -u FILESYSTEM_SUFFIX -u PORT -u URI_MAP -u CORS \
  JAVA_OPTS="-Xmx$HEAP ${JAVA_OPTS:-}" JPEG_QUALITY=75 MAX_LAYERS=-1 MAX_IMAGE_CACHE_SIZE=0 VERBOSITY=1 \
  "$root/bin/vellum" --images "$images" --port "$vport" --host 127.0.0.1 >"$run_dir/vellum.log" 2>&1 &
vpid=$!
pids+=("$vpid")
start_ns=$(date +%s%N)

start_iipsrv "$run_dir" "$images" "$hport" "$fport" "$PROCESSES"

wait_for Vellum "http://127.0.0.1:$vport/" 120 200
ready_ms=$((($(date +%s%N) - start_ns) / 1000000))
wait_for iipsrv "http://127.0.0.1:$hport$FCGI_PATH" 30 400   # iipsrv itself (nginx alone would say 502)

# Peak heap: jstat every second (used = survivors + eden + old, KB), from now to the end.
jstat -gc "$vpid" 1000 >"$run_dir/jstat.txt" 2>/dev/null &
pids+=($!)

fif() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1" 2>/dev/null || echo "$1"; }
obj_of() { echo "$FCGI_PATH?FIF=$(fif "$1")&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number"; }
timed() {  # url -> "seconds http_code"
  curl -s -o /dev/null -w '%{time_total} %{http_code}\n' "$1" || echo "0 000"
}

# --- 3. first requests for the big image, before anything else has opened it -------------------------------------
# A viewer asks for the metadata, then tiles. The file is read once first so that it is in the OS page cache for both
# servers, and this is each server's own start-up cost: class loading, JNA and libraries, header parse, decode and
# encode. (Without it, whichever server came first paid for reading the file from disk: OpenJPEG 2.5 reads the header
# of every tile-part before the one it wants, most of a 390 MB file; measured 337 ms for Vellum's first tile and
# 719 ms for iipsrv's after dropping the page cache, 56-101 ms and 104-113 ms with it warm.)
cat "$images/$big" >/dev/null
first=()
for server in vellum iipsrv; do
  if [ "$server" = vellum ]; then base="http://127.0.0.1:$vport"; else base="http://127.0.0.1:$hport"; fi
  read -r t_obj c_obj < <(timed "$base$(obj_of "$big")")
  meta=$(curl -s "$base$(obj_of "$big")")
  read -r W H < <(sed -n 's/^Max-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
  read -r TW TH < <(sed -n 's/^Tile-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$meta")
  N=$(sed -n 's/^Resolution-number:\([0-9]*\).*/\1/p' <<<"$meta")
  cols=$(((W + TW - 1) / TW)); rows=$(((H + TH - 1) / TH))
  mid=$((rows / 2 * cols + cols / 2))
  read -r t_tile c_tile < <(timed "$base$FCGI_PATH?FIF=$(fif "$big")&JTL=$((N - 1)),$mid")
  read -r t_low c_low < <(timed "$base$FCGI_PATH?FIF=$(fif "$big")&JTL=0,0")
  first+=("$server $t_obj $c_obj $t_tile $c_tile $t_low $c_low")
done

# --- 4. load: the same tile sequence per image, connections and server ------------------------------------------
meta_of() {  # image -> "W H TW TH N" from iipsrv (both servers must agree on the tiles asked for)
  local m
  m=$(curl -s "http://127.0.0.1:$hport$(obj_of "$1")")
  echo "$(sed -n 's/^Max-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$m") $(sed -n 's/^Tile-size:\([0-9]*\) \([0-9]*\).*/\1 \2/p' <<<"$m") $(sed -n 's/^Resolution-number:\([0-9]*\).*/\1/p' <<<"$m")"
}
run() {  # base-url image connections seconds -> "RESULT ..." line
  local t=$THREADS
  [ "$3" -lt "$t" ] && t=$3
  wrk -t "$t" -c "$3" -d "${4}s" --timeout 30s -s "$root/bench/tiles.lua" "$1" -- \
    "$FCGI_PATH?FIF=$(fif "$2")" $(meta_of "$2") "$SEED" "$MAX_REQUESTS" 2>&1 | grep '^RESULT' || echo "RESULT 0 1 0 0 0 0 0"
}
alive() {
  kill -0 "$vpid" 2>/dev/null || { echo "Vellum died; log:" >&2; tail -n 30 "$run_dir/vellum.log" >&2; exit 1; }
  local p n=0
  for p in $(cat "$run_dir/fcgi.pid"); do kill -0 "$p" 2>/dev/null && n=$((n + 1)); done
  [ "$n" -eq "$PROCESSES" ] || echo "warning: only $n of $PROCESSES iipsrv processes still run" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results=$run_dir/results.txt
: >"$results"
# The big tiled image first: the memory read after it is then its own, not what the single-tile images left behind.
for spec in "${set_images[2]}" "${set_images[0]}" "${set_images[1]}"; do
  read -r name _ <<<"$spec"
  # Peak RSS per image: writing 5 to clear_refs resets VmHWM (Linux 4.0+; if refused, the peak is the run's so far).
  echo 5 >"/proc/$vpid/clear_refs" 2>/dev/null && hwm_reset=yes || hwm_reset=no
  # Every server must answer a sample of the sequence before anything is timed.
  for base in "http://127.0.0.1:$vport" "http://127.0.0.1:$hport"; do
    for jtl in "0,0" "1,0"; do
      c=$(code "$base$FCGI_PATH?FIF=$(fif "$name")&JTL=$jtl")
      [ "$c" = 200 ] || { echo "HTTP $c for $base ... $name JTL=$jtl" >&2; exit 1; }
    done
  done
  for server in iipsrv vellum; do
    if [ "$server" = iipsrv ]; then url="http://127.0.0.1:$hport"; else url="http://127.0.0.1:$vport"; fi
    [ "$WARMUP" -gt 0 ] && run "$url" "$name" 8 "$WARMUP" >/dev/null
    for c in $CONNECTIONS; do
      echo "  $name, $c connections, $server..." >&2
      echo "$name $c $server $(run "$url" "$name" "$c" "$DURATION")" >>"$results"
      alive
    done
  done
  echo "$name $hwm_reset $(awk '/^VmHWM/ {h = $2} /^VmRSS/ {r = $2} END {print int(h / 1024), int(r / 1024)}' "/proc/$vpid/status")" \
    >>"$run_dir/memory.txt"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 5. report ----------------------------------------------------------------------------------------------------
rss_peak=$(awk '{ if ($3 > m) m = $3 } END { print m * 1024 }' "$run_dir/memory.txt")   # KB, the largest per-image peak
rss_now=$(awk '/^VmRSS/ {print $2}' "/proc/$vpid/status" 2>/dev/null || echo 0)
heap_peak=$(awk '$1 ~ /^[0-9.]+$/ { u = $3 + $4 + $6 + $8; if (u > m) m = u } END { printf "%.0f", m / 1024 }' \
  "$run_dir/jstat.txt" 2>/dev/null || echo "?")
encoder=$(grep -o 'JPEG encoder: [A-Za-z]*' "$run_dir/vellum.log" | head -1 | cut -d' ' -f3)

echo
echo "Speed run $(date -u +%Y-%m-%dT%H:%MZ), commit $(cd "$root" && git rev-parse --short HEAD), $(nproc) cores,"
echo "load average before $load_before, after $load_after (the machine may be shared: read the ratios, not the absolutes)."
echo "iipsrv 1.1: $PROCESSES FastCGI processes behind nginx, MAX_IMAGE_CACHE_SIZE=0. Vellum: OSGi runtime, -Xmx$HEAP,"
echo "JPEG by ${encoder:-?}, no tile cache. Quality 75, all layers. wrk: up to $THREADS threads (sharing the cores),"
echo "${DURATION} s per cell after ${WARMUP} s warm-up per server and image; random JTL tiles over all levels, seed $SEED."
echo
ratio_table "$results" "$MAX_REQUESTS" image 24 tiles/s \
  "note: a run reached its request bound and stopped early; its tiles/s is understated."
echo
echo "First requests for $big right after start (Vellum answered its first request $ready_ms ms after launch):"
for f in "${first[@]}"; do
  read -r s t_obj c_obj t_tile c_tile t_low c_low <<<"$f"
  awk -v s="$s" -v a="$t_obj" -v ca="$c_obj" -v b="$t_tile" -v cb="$c_tile" -v c="$t_low" -v cc="$c_low" 'BEGIN {
    printf "  %-7s metadata %6.0f ms (%s), then full-resolution tile %6.0f ms (%s): first tile %6.0f ms; lowest level %5.0f ms (%s)\n",
      s, a * 1000, ca, b * 1000, cb, (a + b) * 1000, c * 1000, cc }'
done
echo
echo "Vellum memory: peak RSS $((rss_peak / 1024)) MB (now $((rss_now / 1024)) MB), peak heap used ${heap_peak} MB of -Xmx$HEAP."
while read -r name reset hwm rss; do
  if [ "$reset" = yes ]; then
    echo "  $name: peak RSS while serving it $hwm MB, RSS after it $rss MB"
  else
    echo "  after $name: peak RSS so far $hwm MB, RSS $rss MB"
  fi
done <"$run_dir/memory.txt"
